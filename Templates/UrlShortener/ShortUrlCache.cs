using Microsoft.Extensions.Logging;
using Sdp.Templates.Dependencies;
using StackExchange.Redis;

namespace Sdp.Templates.UrlShortener;

/// <summary>
/// Cache-aside for redirects: <c>{prefix}url:{code}</c> → target URL. The cache is an optimisation only:
/// when Redis fails, redirects are served from PostgreSQL.
/// </summary>
internal sealed class ShortUrlCache(RedisConnection redis, RedisKeyspace keyspace, ILogger<ShortUrlCache> logger)
{
    /// <summary>Codes never change their target, so the TTL only bounds the memory idle codes hold.</summary>
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    public async Task<string?> FindUrlAsync(string code, CancellationToken cancellationToken)
    {
        try
        {
            var database = await redis.GetDatabaseAsync(cancellationToken);
            var url = await database.StringGetAsync(Key(code)).WaitAsync(cancellationToken);
            return url.HasValue ? url.ToString() : null;
        }
        catch (RedisException exception)
        {
            logger.LogWarning(exception, "Redis read failed for code {Code}; serving from PostgreSQL", code);
            return null;
        }
    }

    public async Task StoreAsync(string code, string url, CancellationToken cancellationToken)
    {
        try
        {
            var database = await redis.GetDatabaseAsync(cancellationToken);
            // Fire and forget: the redirect does not wait for the cache write.
            await database.StringSetAsync(Key(code), url, Ttl, flags: CommandFlags.FireAndForget);
        }
        catch (RedisException exception)
        {
            logger.LogWarning(exception, "Redis write failed for code {Code}", code);
        }
    }

    private RedisKey Key(string code) => keyspace.Key("url:" + code);
}
