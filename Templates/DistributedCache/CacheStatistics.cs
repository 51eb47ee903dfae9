using Sdp.Templates.Dependencies;
using StackExchange.Redis;

namespace Sdp.Templates.DistributedCache;

/// <summary>
/// Hit and miss counters in Redis (<c>{prefix}cache:stats:hits</c> / <c>…:misses</c>), so they survive restarts
/// and every instance adds to the same numbers.
/// </summary>
internal sealed class CacheStatistics(RedisConnection redis, RedisKeyspace keyspace)
{
    public Task CountHitAsync(CancellationToken cancellationToken) => IncrementAsync("hits", cancellationToken);

    public Task CountMissAsync(CancellationToken cancellationToken) => IncrementAsync("misses", cancellationToken);

    public async Task<(long Hits, long Misses)> ReadAsync(CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        var values = await database.StringGetAsync([Key("hits"), Key("misses")]).WaitAsync(cancellationToken);
        return ((long?)values[0] ?? 0, (long?)values[1] ?? 0);
    }

    private async Task IncrementAsync(string counter, CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        await database.StringIncrementAsync(Key(counter)).WaitAsync(cancellationToken);
    }

    private RedisKey Key(string counter) => keyspace.Key("cache:stats:" + counter);
}
