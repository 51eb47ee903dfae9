using System.Diagnostics.Metrics;

namespace Sdp.Orchestrator.Api.Retention;

/// <summary>
/// <c>sdp.retention.purged{kind}</c> on the <c>Sdp</c> meter (<c>sdp_retention_purged_total</c> in Prometheus).
/// <c>kind</c> is one of <see cref="RetentionKinds.All"/>.
/// </summary>
public sealed class RetentionMetrics
{
    private readonly Counter<long> purged;

    public RetentionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SdpTelemetry.MeterName);
        purged = meter.CreateCounter<long>("sdp.retention.purged", unit: "{row}",
            description: "Rows removed by the retention purge, by kind.");
    }

    public void Purged(string kind, long count)
    {
        if (count > 0)
        {
            purged.Add(count, new KeyValuePair<string, object?>("kind", kind));
        }
    }
}
