using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sdp.Testing;

/// <summary>Waiting for resources of an Aspire application, and saying what is wrong when they do not come up.</summary>
public static class ResourceWaits
{
    public static CustomResourceSnapshot? GetSnapshot(this DistributedApplication app, string resourceName) =>
        app.ResourceNotifications.TryGetCurrentState(resourceName, out var resourceEvent) ? resourceEvent.Snapshot : null;

    /// <summary>The pid of the process the orchestrator started for the resource, as its snapshot says; null when none.</summary>
    public static int? ExecutableProcessId(this CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
        && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    /// <summary>Whether the resource's process has ended: exited, finished, or failed to start.</summary>
    public static bool HasEnded(this CustomResourceSnapshot snapshot) =>
        snapshot.State?.Text is { } state && (state == KnownResourceStates.Exited || state == KnownResourceStates.Finished
            || state == KnownResourceStates.FailedToStart);

    /// <summary>
    /// Waits until every one of <paramref name="resourceNames"/> is running and healthy; when one is not in time, the
    /// error names each that is not, with its state and its health checks' reports (not logged while servers start).
    /// When one fails to start, the error carries the end of its console log, where the reason is.
    /// </summary>
    public static Task WaitUntilHealthyAsync(this DistributedApplication app, IEnumerable<string> resourceNames,
        CancellationToken cancellationToken) =>
        app.WaitUntilHealthyAsync(resourceNames, checkedSince: null, cancellationToken);

    /// <summary>
    /// As <see cref="WaitUntilHealthyAsync(DistributedApplication, IEnumerable{string}, CancellationToken)"/>, and
    /// with <paramref name="checkedSince"/> (from <see cref="ResourceCommands.StartNewProcessAsync"/>) every health
    /// report must have been made after it: a report from before a restart is of a process that is gone.
    /// </summary>
    public static async Task WaitUntilHealthyAsync(this DistributedApplication app, IEnumerable<string> resourceNames,
        DateTime? checkedSince, CancellationToken cancellationToken)
    {
        List<string> names = [.. resourceNames];
        try
        {
            foreach (var name in names)
            {
                if (checkedSince is not { } since)
                {
                    await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken);
                    continue;
                }

                var resourceEvent = await app.ResourceNotifications.WaitForResourceAsync(name,
                    e => e.Snapshot.HasEnded() || (e.Snapshot.State?.Text == KnownResourceStates.Running
                        && e.Snapshot.HealthStatus == HealthStatus.Healthy
                        && e.Snapshot.HealthReports.All(r => r.LastRunAt >= since)),
                    cancellationToken);
                if (resourceEvent.Snapshot.HasEnded())
                {
                    throw new DistributedApplicationException(
                        $"Stopped waiting for resource '{name}' to become healthy because it is {resourceEvent.Snapshot.State?.Text}.");
                }
            }
        }
        catch (DistributedApplicationException e)
        {
            var failed = names.FirstOrDefault(name => e.Message.Contains($"'{name}'", StringComparison.Ordinal));
            throw failed is null ? e : new DistributedApplicationException(
                $"{e.Message} The end of its console log:\n{string.Join("\n", await LastLogLinesAsync(app, failed, 30))}", e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("Not healthy in time: " + string.Join(", ", names
                .Select(name => (Name: name, Snapshot: app.GetSnapshot(name)))
                .Where(r => r.Snapshot?.State?.Text != KnownResourceStates.Running || r.Snapshot.HealthStatus != HealthStatus.Healthy
                    || r.Snapshot.HealthReports.Any(h => h.LastRunAt < checkedSince))
                .Select(r => $"{r.Name} (state {r.Snapshot?.State?.Text ?? "none"}, {r.Snapshot?.HealthStatus}; "
                    + string.Join("; ", r.Snapshot?.HealthReports.Select(h => $"{h.Name}: {h.Status} {h.Description} at {h.LastRunAt:HH:mm:ss.fff}") ?? [])
                    + (checkedSince is { } since ? $"; wanted a check after {since:HH:mm:ss.fff}" : "") + ")")));
        }
    }

    private static async Task<List<string>> LastLogLinesAsync(DistributedApplication app, string resourceName, int count) =>
        // What was logged so far comes at once; the wait for a line that never matches then ends it.
        (await app.ReadLogUntilAsync(resourceName, _ => false, TimeSpan.FromSeconds(2))).TakeLast(count).ToList();

    /// <summary>The resource's console log until a line matches, or all of it when none does in time.</summary>
    public static async Task<List<string>> ReadLogUntilAsync(this DistributedApplication app, string resourceName,
        Func<string, bool> until, TimeSpan timeout)
    {
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resourceName);
        var lines = new List<string>();
        using var stop = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(resource).WithCancellation(stop.Token))
            {
                lines.AddRange(batch.Select(line => line.Content));
                if (batch.Any(line => until(line.Content)))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // In time or not, the caller decides on what was logged.
        }

        return lines;
    }
}
