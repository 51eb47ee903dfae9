using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Sdp.Templates.DistributedCache;

/// <summary>
/// Write-through, read-through caching: writes go to PostgreSQL, then to Redis with the same expiry; reads are
/// served from Redis (a hit) or from PostgreSQL (a miss, which refills Redis with the remaining time). An entry
/// past its expiry is never served, wherever it is still held: both paths check it against this app's clock.
/// Hits and misses are counted for <c>/api/stats</c>; a lookup that finds nothing counts as a miss.
/// </summary>
internal sealed class WriteThroughCacheService(
    CacheEntryStore store,
    CacheEntryMirror mirror,
    CacheStatistics statistics,
    TimeProvider timeProvider,
    ILogger<WriteThroughCacheService> logger) : ICacheService
{
    public async Task<CacheEntry> SetAsync(string key, string value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var expiresAt = ttl is { } lifetime ? Now() + lifetime : (DateTimeOffset?)null;
        var entry = await store.UpsertAsync(key, value, expiresAt, cancellationToken);
        // A failure here fails the request (503): PostgreSQL has the new value, and the client retries the write
        // rather than leave an older value in Redis.
        await mirror.SetAsync(entry, ttl, onlyIfAbsent: false, cancellationToken);
        return entry;
    }

    public async Task<CacheLookup?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var now = Now();
        var cached = await ReadMirrorAsync(key, cancellationToken);
        if (cached is not null && !cached.IsExpiredAt(now))
        {
            await CountAsync(hit: true, cancellationToken);
            return new CacheLookup(cached, Hit: true);
        }

        await CountAsync(hit: false, cancellationToken);
        var row = await store.FindAsync(key, cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (row.IsExpiredAt(now))
        {
            // Not served; removed here rather than waiting for the sweeper.
            await store.DeleteIfExpiredAsync(key, now, cancellationToken);
            return null;
        }

        await RefillMirrorAsync(row, now, cancellationToken);
        return new CacheLookup(row, Hit: false);
    }

    public async Task<bool> RemoveAsync(string key, CancellationToken cancellationToken)
    {
        var existed = await store.DeleteAsync(key, Now(), cancellationToken);
        await mirror.RemoveAsync(key, cancellationToken);
        return existed;
    }

    /// <summary>Whole milliseconds: the precision Redis expiries and the JSON timestamps share.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(timeProvider.GetUtcNow().ToUnixTimeMilliseconds());

    private async Task<CacheEntry?> ReadMirrorAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await mirror.GetAsync(key, cancellationToken);
        }
        catch (RedisException exception)
        {
            logger.LogWarning(exception, "Redis read failed for key {CacheKey}; reading through to PostgreSQL", key);
            return null;
        }
    }

    private async Task RefillMirrorAsync(CacheEntry row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await mirror.SetAsync(row, row.ExpiresAt - now, onlyIfAbsent: true, cancellationToken);
        }
        catch (RedisException exception)
        {
            logger.LogWarning(exception, "Redis refill failed for key {CacheKey}", row.Key);
        }
    }

    private async Task CountAsync(bool hit, CancellationToken cancellationToken)
    {
        try
        {
            await (hit ? statistics.CountHitAsync(cancellationToken) : statistics.CountMissAsync(cancellationToken));
        }
        catch (RedisException exception)
        {
            // The value is still served: statistics are not worth failing a read for.
            logger.LogWarning(exception, "Could not count a cache {Outcome}", hit ? "hit" : "miss");
        }
    }
}
