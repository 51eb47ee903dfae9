namespace Sdp.Orchestrator.Api.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The orchestrator's own metrics, beyond what ServiceDefaults collects.</summary>
    public static IHostApplicationBuilder AddDeploymentMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DeploymentStateGauge>();
        return builder;
    }
}
