using System.Globalization;
using Sdp.Templates.Dependencies;
using StackExchange.Redis;

namespace Sdp.Templates.DistributedCache;

/// <summary>
/// The entries' copy in Redis, <c>{prefix}cache:entry:{key}</c> → <c>{expiry in Unix ms, or -1}\n{value}</c>, with
/// a Redis expiry matching the entry's. The expiry travels with the value so a read can refuse an entry that
/// Redis has not evicted yet.
/// </summary>
internal sealed class CacheEntryMirror(RedisConnection redis, RedisKeyspace keyspace)
{
    private const char Separator = '\n';

    public async Task<CacheEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        var stored = await database.StringGetAsync(Key(key)).WaitAsync(cancellationToken);
        return stored.HasValue ? Decode(key, stored.ToString()) : null;
    }

    /// <summary>
    /// Stores <paramref name="entry"/> for <paramref name="ttl"/> (null: no Redis expiry). With
    /// <paramref name="onlyIfAbsent"/>, an entry another request wrote meanwhile is left alone: a read-through
    /// must not overwrite a newer write with the older row it read.
    /// </summary>
    public async Task SetAsync(CacheEntry entry, TimeSpan? ttl, bool onlyIfAbsent, CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        await database.StringSetAsync(Key(entry.Key), Encode(entry), ttl, onlyIfAbsent ? When.NotExists : When.Always)
            .WaitAsync(cancellationToken);
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        await database.KeyDeleteAsync(Key(key)).WaitAsync(cancellationToken);
    }

    private RedisKey Key(string key) => keyspace.Key("cache:entry:" + key);

    private static string Encode(CacheEntry entry) =>
        string.Concat((entry.ExpiresAt?.ToUnixTimeMilliseconds() ?? -1).ToString(CultureInfo.InvariantCulture), Separator.ToString(), entry.Value);

    private static CacheEntry? Decode(string key, string stored)
    {
        var separator = stored.IndexOf(Separator, StringComparison.Ordinal);
        if (separator < 0 || !long.TryParse(stored.AsSpan(0, separator), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expiresMs))
        {
            // Not written by this cache: treated as absent, and the read-through replaces it.
            return null;
        }

        return new CacheEntry(key, stored[(separator + 1)..], expiresMs < 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(expiresMs));
    }
}
