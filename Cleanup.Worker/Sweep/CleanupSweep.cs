using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Contracts;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>
/// One sweep: removes orphans past their grace period and reports ready deployments and standby slots that lost their
/// Redis user or their service.
/// Runs on one replica at a time; expired deployments are the Orchestrator's deadline watcher's (they go through
/// DELETE's path, so their state shows what happened).
/// </summary>
public sealed class CleanupSweep(
    NpgsqlDataSource database,
    OrphanReconciler reconciler,
    LostResourceDetector lostResources,
    IPublishEndpoint publisher,
    CleanupMetrics metrics,
    IOptions<CleanupSweepOptions> options,
    TimeProvider time,
    ILogger<CleanupSweep> logger)
{
    public const string Scheduled = "scheduled";
    public const string Manual = "manual";

    /// <summary>
    /// Runs the sweep. A manual one waits for a sweep already running elsewhere; a scheduled one skips (returns null)
    /// when another replica has it.
    /// </summary>
    public async Task<CleanupSweepCompleted?> RunAsync(string trigger, CancellationToken cancellationToken)
    {
        var wait = trigger == Manual ? options.Value.ManualSweepLockWait : TimeSpan.Zero;
        await using var sweepLock = await WorkerLock.TryAcquireAsync(database, WorkerLock.SweepKey, wait, time,
            cancellationToken);
        if (sweepLock is null)
        {
            metrics.Swept(trigger, "skipped");
            logger.LogInformation("Cleanup sweep ({Trigger}) skipped: another replica is sweeping", trigger);
            return null;
        }

        var watch = Stopwatch.StartNew();
        using var activity = SdpTelemetry.ActivitySource.StartActivity("cleanup sweep");
        activity?.SetTag("sdp.sweep.trigger", trigger);
        try
        {
            var orphans = await reconciler.FindAsync(cancellationToken);
            foreach (var orphan in orphans)
            {
                metrics.OrphanFound(orphan.Kind);
            }

            var removed = await reconciler.RemoveAsync(orphans, cancellationToken);
            foreach (var (kind, count) in removed)
            {
                metrics.OrphansRemoved(kind, count);
            }

            var lost = await ReportLostAsync(cancellationToken);
            metrics.Swept(trigger, "completed");
            logger.LogInformation(
                "Cleanup sweep ({Trigger}) in {DurationMs:F0} ms: {OrphanCount} orphans found, removed {Removed}; {LostCount} lost deployments",
                trigger, watch.Elapsed.TotalMilliseconds, orphans.Count,
                string.Join(", ", removed.Select(r => $"{r.Key} {r.Value}")), lost.Count);
            return new CleanupSweepCompleted(removed, orphans, lost, watch.Elapsed.TotalMilliseconds, time.GetUtcNow());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.Swept(trigger, "failed");
            logger.LogError(exception, "Cleanup sweep ({Trigger}) failed", trigger);
            throw;
        }
    }

    /// <summary>
    /// Finds ready deployments and standby slots that lost their Redis user or their service and tells the
    /// Orchestrator, which fails a deployment (and has it cleaned) and removes a slot (and has it replaced); returns
    /// their ids.
    /// </summary>
    public async Task<IReadOnlyList<long>> ReportLostAsync(CancellationToken cancellationToken)
    {
        var lost = await lostResources.FindAsync(cancellationToken);
        foreach (var found in lost)
        {
            // A tenant's deployment failing is an error; a slot is only replaced.
            logger.Log(found.IsStandby ? LogLevel.Warning : LogLevel.Error,
                "{What} {DeploymentId} is ready but lost part of what it runs on; reporting it lost: {Reason}",
                found.IsStandby ? "Standby slot" : "Deployment", found.Id, found.Reason);
            await publisher.Publish(new DeploymentLost(found.Id, found.Reason, time.GetUtcNow()), cancellationToken);
        }

        if (lost.Count > 0)
        {
            metrics.Lost(lost.Count);
        }

        return [.. lost.Select(l => l.Id)];
    }
}
