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
        builder.Services.AddHttpClient<ServiceHealthProbe>().RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProvisioningLedger>();
        builder.Services.AddSingleton<CandidateProvisioner>();
        builder.Services.AddHostedService<ProvisionerStartup>();
        return builder;
    }
}
