using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sdp.Testing;

/// <summary>Waiting for resources of an Aspire application, and saying what is wrong when they do not come up.</summary>
public static class ResourceWaits
{
    public static CustomResourceSnapshot? GetSnapshot(this DistributedApplication app, string resourceName) =>
        app.ResourceNotifications.TryGetCurrentState(resourceName, out var resourceEvent) ? resourceEvent.Snapshot : null;

    /// <summary>
    /// Waits until every one of <paramref name="resourceNames"/> is running and healthy; when one is not in time, the
    /// error names each that is not, with its state and its health checks' reports (not logged while servers start).
    /// </summary>
    public static async Task WaitUntilHealthyAsync(this DistributedApplication app, IEnumerable<string> resourceNames,
        CancellationToken cancellationToken)
    {
        List<string> names = [.. resourceNames];
        try
        {
            foreach (var name in names)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("Not healthy in time: " + string.Join(", ", names
                .Select(name => (Name: name, Snapshot: app.GetSnapshot(name)))
                .Where(r => r.Snapshot?.State?.Text != KnownResourceStates.Running || r.Snapshot.HealthStatus != HealthStatus.Healthy)
                .Select(r => $"{r.Name} (state {r.Snapshot?.State?.Text ?? "none"}, {r.Snapshot?.HealthStatus}; "
                    + string.Join("; ", r.Snapshot?.HealthReports.Select(h => $"{h.Name}: {h.Status} {h.Description}") ?? []) + ")")));
        }
    }
}
