using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// Chooses where a new service goes: the location of the pool (<see cref="CloudRunOptions.Pool"/>) with the most
/// free slots under its ceiling (ties go to the earlier one), or none when all are full (then the deploy waits or is refused, as configured).
/// Counts come from listing each location's services and are trusted for
/// <see cref="CloudRunOptions.ServiceCountRefreshInterval"/> (adjusted for this process's own creates and deletes
/// meanwhile); other replicas create and delete too, so a location is counted again after that, and always
/// before a deploy is refused or made to wait.
/// </summary>
public sealed partial class CloudRunLocationPool(
    ICloudRunClient client,
    IOptions<CloudRunOptions> options,
    TimeProvider timeProvider,
    ILogger<CloudRunLocationPool> logger)
{
    private const int ListPageSize = 500;

    private readonly SemaphoreSlim counting = new(1, 1);
    private readonly Dictionary<string, LocationCount> counts = new(StringComparer.Ordinal);

    /// <summary>The locations of the pool, in configured order.</summary>
    public IReadOnlyList<CloudRunLocation> Locations => options.Value.Pool;

    /// <summary>Returns the location with the most room for one more service; waits or throws as configured when all are full.</summary>
    public async Task<CloudRunLocation> ChooseAsync(string serviceId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var forceCount = false;
        while (true)
        {
            CloudRunLocation? best = null;
            var bestRoom = 0;
            var total = 0;
            var limit = 0;
            foreach (var location in settings.Pool)
            {
                var count = await CountAsync(location, forceCount, cancellationToken);
                var ceiling = settings.LimitOf(location);
                total += count;
                limit += ceiling;
                var room = ceiling - count;
                if (count < ceiling && (best is null || room > bestRoom))
                {
                    (best, bestRoom) = (location, room);
                }
            }

            if (best is not null)
            {
                return best;
            }

            if (!forceCount)
            {
                // Full as far as this process knows: count again before refusing or waiting.
                forceCount = true;
                continue;
            }

            var where = settings.Pool.Count == 1 ? $"Region {settings.Pool[0].Region}" : $"Every location of the pool ({settings.Pool.Count})";
            if (settings.WhenFull == WhenRegionFull.Refuse)
            {
                throw new DeploymentTargetException(
                    $"{where} already holds {total} services, the limit of {limit}; " +
                    $"service {serviceId} was not created. Remove finished deployments or raise the quota.");
            }

            LogWaiting(serviceId, total, limit);
            await Task.Delay(settings.ServiceCountRefreshInterval, timeProvider, cancellationToken);
        }
    }

    /// <summary>This process created a service in <paramref name="location"/>.</summary>
    public void Created(CloudRunLocation location) => Adjust(location, +1);

    /// <summary>This process deleted a service in <paramref name="location"/>.</summary>
    public void Deleted(CloudRunLocation location) => Adjust(location, -1);

    private void Adjust(CloudRunLocation location, int delta)
    {
        lock (counts)
        {
            if (counts.TryGetValue(location.Parent, out var known))
            {
                counts[location.Parent] = known with { Count = Math.Max(0, known.Count + delta) };
            }
        }
    }

    private async Task<int> CountAsync(CloudRunLocation location, bool force, CancellationToken cancellationToken)
    {
        if (!force && TryFresh(location, out var known))
        {
            return known;
        }

        await counting.WaitAsync(cancellationToken);
        try
        {
            var total = 0;
            string? pageToken = null;
            do
            {
                var page = await client.ListServicesAsync(location.Parent, ListPageSize, pageToken, cancellationToken);
                total += page.Services.Count;
                pageToken = page.NextPageToken;
            }
            while (!string.IsNullOrEmpty(pageToken));

            lock (counts)
            {
                counts[location.Parent] = new LocationCount(total, timeProvider.GetTimestamp());
            }

            return total;
        }
        finally
        {
            counting.Release();
        }
    }

    private bool TryFresh(CloudRunLocation location, out int count)
    {
        lock (counts)
        {
            if (counts.TryGetValue(location.Parent, out var known)
                && timeProvider.GetElapsedTime(known.CountedAt) < options.Value.ServiceCountRefreshInterval)
            {
                count = known.Count;
                return true;
            }
        }

        count = 0;
        return false;
    }

    private sealed record LocationCount(int Count, long CountedAt);

    [LoggerMessage(LogLevel.Warning,
        "Service {ServiceId} waits: the pool holds {Count} services, the limit is {Limit}")]
    private partial void LogWaiting(string serviceId, int count, int limit);
}
