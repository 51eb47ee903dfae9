using System.Globalization;

namespace Sdp.AppHost;

internal static class MetricExport
{
    private const string ExportInterval = "OTEL_METRIC_EXPORT_INTERVAL";

    /// <summary>
    /// Every project added so far exports its metrics to the dashboard every <paramref name="interval"/> instead of
    /// Aspire's every second. Ingesting them is the dashboard's largest steady cost, and the platform shares a small
    /// machine with the deployments it serves: at 5 s the dashboard took about a seventh less CPU over the deploy
    /// benchmark (docs/benchmarks.md), and its graphs still move while one watches. Traces and logs are unchanged.
    /// </summary>
    public static IDistributedApplicationBuilder ExportMetricsEvery(this IDistributedApplicationBuilder builder, TimeSpan interval)
    {
        var milliseconds = ((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(context =>
            {
                // Only where Aspire set one: a project without the dashboard's telemetry gets none.
                if (context.EnvironmentVariables.ContainsKey(ExportInterval))
                {
                    context.EnvironmentVariables[ExportInterval] = milliseconds;
                }
            });
        }

        return builder;
    }
}
