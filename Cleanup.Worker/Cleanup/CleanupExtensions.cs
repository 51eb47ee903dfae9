using MassTransit;
using Sdp.Cleanup.Worker.Sweep;

namespace Sdp.Cleanup.Worker.Cleanup;

public static class CleanupExtensions
{
    public static IHostApplicationBuilder AddCleanup(this IHostApplicationBuilder builder)
    {
        builder.AddCloudRunDeploymentTarget();
        builder.AddCandidateResources();
        builder.AddCandidateInventory();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddOptions<CleanupSweepOptions>()
            .Bind(builder.Configuration.GetSection(CleanupSweepOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<CleanupMetrics>();
        builder.Services.AddSingleton<PlatformDeployments>();
        builder.Services.AddSingleton<LostResourceDetector>();
        builder.Services.AddScoped<OrphanReconciler>();
        builder.Services.AddScoped<CleanupSweep>();
        builder.Services.AddHostedService<CleanupScheduler>();
        return builder;
    }

    /// <summary>The worker's consumers: cleanup of one deployment, and the sweep and orphan list on request.</summary>
    public static void AddCleanupConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CleanupRequestedConsumer>(typeof(CleanupRequestedConsumerDefinition));
        bus.AddConsumer<RunCleanupSweepConsumer>(typeof(RunCleanupSweepConsumerDefinition));
        bus.AddConsumer<ListOrphansConsumer>(typeof(ListOrphansConsumerDefinition));
    }
}
