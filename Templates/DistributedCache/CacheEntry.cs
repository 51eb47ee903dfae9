namespace Sdp.Templates.DistributedCache;

/// <summary>One cached value; <see cref="ExpiresAt"/> null means it never expires.</summary>
internal sealed record CacheEntry(string Key, string Value, DateTimeOffset? ExpiresAt)
{
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expiresAt && expiresAt <= now;

    public CacheEntryResponse ToResponse() => new(Key, Value, ExpiresAt);
}

/// <summary>A read's answer: the entry and whether Redis served it.</summary>
internal sealed record CacheLookup(CacheEntry Entry, bool Hit);
