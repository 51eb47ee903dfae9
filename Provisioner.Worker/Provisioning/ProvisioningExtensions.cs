using Sdp.Templates.Catalog;

namespace Sdp.Provisioner.Worker.Provisioning;

public static class ProvisioningExtensions
{
    public static IHostApplicationBuilder AddProvisioning(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProvisioningOptions>()
            .Bind(builder.Configuration.GetSection(ProvisioningOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddCloudRunDeploymentTarget();
        builder.AddCandidateResources();

        // Health polling wants its own pace: the standard resilience handler would hold a 503 for seconds.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the supported opt-out.
        builder.Services.AddHttpClient<ServiceHealthProbe>()
            .RemoveAllResilienceHandlers()
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                // Out of the http.client metrics, whose labels would name every candidate service.
                MeterFactory = services.GetRequiredService<UnlistenedMeterFactory>(),
                // A service is probed until it first answers, then not again: its connection need not wait a minute.
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
            });
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<UnlistenedMeterFactory>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProvisioningLedger>();
        builder.Services.AddSingleton<CandidateProvisioner>();
        builder.Services.AddHostedService<ProvisionerStartup>();
        return builder;
    }
}
