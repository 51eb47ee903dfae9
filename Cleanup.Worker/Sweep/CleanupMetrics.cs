using System.Diagnostics.Metrics;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>
/// Cleanup instruments on the <c>Sdp</c> meter. Labels are bounded: <c>kind</c> is one of the five resource kinds,
/// <c>trigger</c> scheduled or manual, <c>outcome</c> a handful of words.
/// </summary>
public sealed class CleanupMetrics
{
    private readonly Histogram<double> cleanupDuration;
    private readonly Counter<long> orphansFound;
    private readonly Counter<long> orphansRemoved;
    private readonly Counter<long> sweeps;
    private readonly Counter<long> lost;

    public CleanupMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SdpTelemetry.MeterName);
        cleanupDuration = meter.CreateHistogram<double>("sdp.cleanup.duration", unit: "s",
            description: "Time to remove one deployment's resources.");
        orphansFound = meter.CreateCounter<long>("sdp.orphans.found", unit: "{resource}",
            description: "Resources found belonging to no live deployment, by kind.");
        orphansRemoved = meter.CreateCounter<long>("sdp.orphans.removed", unit: "{resource}",
            description: "Orphaned resources removed, by kind (redis_keys counts keys).");
        sweeps = meter.CreateCounter<long>("sdp.cleanup.sweeps", unit: "{run}",
            description: "Cleanup sweeps, by trigger and outcome.");
        lost = meter.CreateCounter<long>("sdp.deployments.lost", unit: "{deployment}",
            description: "Ready deployments and standby slots found without their Redis user or service and reported lost.");
    }

    public void CleanedUp(TimeSpan duration, bool succeeded) => cleanupDuration.Record(duration.TotalSeconds,
        new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));

    public void OrphanFound(string kind) => orphansFound.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void OrphansRemoved(string kind, long count)
    {
        if (count > 0)
        {
            orphansRemoved.Add(count, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    public void Swept(string trigger, string outcome) => sweeps.Add(1,
        new KeyValuePair<string, object?>("trigger", trigger), new KeyValuePair<string, object?>("outcome", outcome));

    public void Lost(int count) => lost.Add(count);
}
