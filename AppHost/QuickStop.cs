namespace Sdp.AppHost;

internal static class QuickStop
{
    /// <summary>Aspire's switch for the OpenTelemetry exporter's in-memory retries.</summary>
    private const string OtlpRetry = "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY";

    /// <summary>
    /// Lets the project stop within a second or two. Aspire turns on the telemetry exporter's retries, and on shutdown
    /// the dashboard, stopped at the same moment, no longer takes the last batch: each service then spent its whole
    /// shutdown (up to 10 s per signal type) retrying, outlived the orchestrator's grace period and held the platform's
    /// stop past 15 s. Without retries a failed export is dropped at once; telemetry here is for looking at, not kept.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithQuickStop(this IResourceBuilder<ProjectResource> project) =>
        project.WithEnvironment(context => context.EnvironmentVariables.Remove(OtlpRetry));
}
