using Sdp.Templates.DistributedCache;

namespace Sdp.Templates.Tests.Broken;

/// <summary>Write-through and read-through like the real cache, but no expiry on Redis copies and none checked on reads.</summary>
internal sealed class ExpiryBlindCacheService(
    CacheEntryStore store,
    CacheEntryMirror mirror,
    CacheStatistics statistics,
    TimeProvider timeProvider) : ICacheService
{
    public async Task<CacheEntry> SetAsync(string key, string value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var entry = await store.UpsertAsync(key, value, timeProvider.GetUtcNow() + ttl, cancellationToken);
        await mirror.SetAsync(entry, ttl: null, onlyIfAbsent: false, cancellationToken);
        return entry;
    }

    public async Task<CacheLookup?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (await mirror.GetAsync(key, cancellationToken) is { } cached)
        {
            await statistics.CountHitAsync(cancellationToken);
            return new CacheLookup(cached, Hit: true);
        }

        await statistics.CountMissAsync(cancellationToken);
        var row = await store.FindAsync(key, cancellationToken);
        if (row is null)
        {
            return null;
        }

        await mirror.SetAsync(row, ttl: null, onlyIfAbsent: true, cancellationToken);
        return new CacheLookup(row, Hit: false);
    }

    public async Task<bool> RemoveAsync(string key, CancellationToken cancellationToken)
    {
        var existed = await store.DeleteAsync(key, DateTimeOffset.MinValue, cancellationToken);
        await mirror.RemoveAsync(key, cancellationToken);
        return existed;
    }
}
