using System.Text.Json;
using System.Text.Json.Serialization;
using Sdp.Orchestrator.Api.Database;
using Sdp.Orchestrator.Api.Http;
using Sdp.Orchestrator.Api.Outbox;

namespace Sdp.Orchestrator.Api.Deployments;

public static class DeploymentsExtensions
{
    public static IHostApplicationBuilder AddDeployments(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        builder.Services.AddProblemDetails();

        builder.Services.AddOptions<DeploymentLifecycleOptions>()
            .Bind(builder.Configuration.GetSection(DeploymentLifecycleOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DeploymentMetrics>();
        builder.Services.AddSingleton<DeploymentStore>();
        builder.Services.AddOptions<DeploymentAdmissionOptions>()
            .Bind(builder.Configuration.GetSection(DeploymentAdmissionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DeploymentAdmission>();
        builder.Services.AddSingleton<OutboxPublisher>();
        builder.Services.AddSingleton<OutboxMarks>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxMarks>());
        // Registration order is start order: the schema exists before the relay first reads it.
        builder.Services.AddHostedService<PlatformDatabaseMigrator>();
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddSingleton<DeploymentChangeFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeploymentChangeFeed>());
        builder.Services.AddSingleton<DeploymentDeadlineWatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeploymentDeadlineWatcher>());
        return builder;
    }
}
