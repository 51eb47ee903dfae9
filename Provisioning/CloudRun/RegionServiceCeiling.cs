using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// Keeps new deploys under <see cref="CloudRunOptions.MaxServicesPerRegion"/>. The count comes from listing the
/// region's services and is trusted for <see cref="CloudRunOptions.ServiceCountRefreshInterval"/> (adjusted for this
/// process's own creates and deletes meanwhile); other replicas create and delete too, so it is counted again after
/// that, and always before a deploy is refused or made to wait.
/// </summary>
public sealed partial class RegionServiceCeiling(
    ICloudRunClient client,
    IOptions<CloudRunOptions> options,
    TimeProvider timeProvider,
    ILogger<RegionServiceCeiling> logger)
{
    private const int ListPageSize = 500;

    private readonly SemaphoreSlim counting = new(1, 1);
    private int knownCount;
    private long countedAt;
    private bool counted;

    /// <summary>Returns when the region has room for one more service; waits or throws as configured when it has not.</summary>
    public async Task WaitForRoomAsync(string serviceId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var stale = !Volatile.Read(ref counted)
            || timeProvider.GetElapsedTime(Interlocked.Read(ref countedAt)) >= settings.ServiceCountRefreshInterval;
        var count = stale || Volatile.Read(ref knownCount) >= settings.MaxServicesPerRegion
            ? await CountAsync(cancellationToken)
            : Volatile.Read(ref knownCount);
        while (count >= settings.MaxServicesPerRegion)
        {
            if (settings.WhenFull == WhenRegionFull.Refuse)
            {
                throw new DeploymentTargetException(
                    $"Region {settings.Region} already holds {count} services, the limit of {settings.MaxServicesPerRegion}; " +
                    $"service {serviceId} was not created. Remove finished deployments or raise the quota.");
            }

            LogWaiting(serviceId, settings.Region, count, settings.MaxServicesPerRegion);
            await Task.Delay(settings.ServiceCountRefreshInterval, timeProvider, cancellationToken);
            count = await CountAsync(cancellationToken);
        }
    }

    /// <summary>This process created a service.</summary>
    public void Created() => Interlocked.Increment(ref knownCount);

    /// <summary>This process deleted a service.</summary>
    public void Deleted() => Interlocked.Decrement(ref knownCount);

    private async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await counting.WaitAsync(cancellationToken);
        try
        {
            var total = 0;
            string? pageToken = null;
            do
            {
                var page = await client.ListServicesAsync(options.Value.Parent, ListPageSize, pageToken, cancellationToken);
                total += page.Services.Count;
                pageToken = page.NextPageToken;
            }
            while (!string.IsNullOrEmpty(pageToken));

            Volatile.Write(ref knownCount, total);
            Interlocked.Exchange(ref countedAt, timeProvider.GetTimestamp());
            Volatile.Write(ref counted, true);
            return total;
        }
        finally
        {
            counting.Release();
        }
    }

    [LoggerMessage(LogLevel.Warning,
        "Service {ServiceId} waits: region {Region} holds {Count} services, the limit is {Limit}")]
    private partial void LogWaiting(string serviceId, string region, int count, int limit);
}
