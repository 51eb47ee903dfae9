namespace Sdp.Templates.DistributedCache;

/// <summary>The cache's core, behind an interface so a test can swap in a deliberately broken one.</summary>
internal interface ICacheService
{
    /// <summary>Writes through to PostgreSQL and Redis; <paramref name="ttl"/> null means no expiry.</summary>
    Task<CacheEntry> SetAsync(string key, string value, TimeSpan? ttl, CancellationToken cancellationToken);

    /// <summary>The live entry (from Redis, or read through from PostgreSQL); null when absent or expired.</summary>
    Task<CacheLookup?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the entry; returns whether a live one existed.</summary>
    Task<bool> RemoveAsync(string key, CancellationToken cancellationToken);
}
