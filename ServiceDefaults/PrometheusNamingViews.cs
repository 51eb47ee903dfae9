using OpenTelemetry.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Renames the few library instruments whose Prometheus names break Prometheus's naming rules (what
/// <c>promtool check metrics</c> enforces): a gauge must not end in <c>_count</c>, which is reserved for
/// histograms and summaries, and durations are in seconds.
/// </summary>
public static class PrometheusNamingViews
{
    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["db.client.connection.count"] = "db.client.connections.usage",
        ["dotnet.assembly.count"] = "dotnet.assemblies.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers",
    };

    public static MeterProviderBuilder AddPrometheusNamingViews(this MeterProviderBuilder metrics)
    {
        foreach (var (from, to) in Renames)
        {
            metrics.AddView(from, to);
        }

        // Re-recorded in seconds by MassTransitDurations.
        foreach (var name in MassTransitDurations.InstrumentNames)
        {
            metrics.AddView(instrument => instrument.Meter.Name == MassTransitDurations.SourceMeterName && instrument.Name == name
                ? MetricStreamConfiguration.Drop
                : null);
        }

        return metrics;
    }
}
