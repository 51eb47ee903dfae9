using System.Globalization;
using Sdp.Templates.Dependencies;
using StackExchange.Redis;

namespace Sdp.Templates.RateLimiter;

/// <summary>
/// Exact sliding-window limiting: at most the rule's limit in units of cost within any window, also under
/// concurrent checks from many instances, because the whole decision is one Lua script in Redis.
/// Keys: <c>{prefix}rl:log:{rule}:{rule version}:{key}</c> and <c>…rl:sum:…</c>. The version is the rule's
/// creation time, so a rule deleted and created again starts from an empty window.
/// </summary>
internal sealed class SlidingWindowLimiter(RedisConnection redis, RedisKeyspace keyspace) : IRateLimiter
{
    public async Task<RateLimitDecision> CheckAsync(RateLimitRule rule, string key, int cost, CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        // Rule names cannot contain ':' and the version is digits, so no two (rule, key) pairs share a key.
        var scope = string.Create(CultureInfo.InvariantCulture, $"{rule.Name}:{rule.CreatedAt.ToUnixTimeMilliseconds()}:{key}");
        RedisKey[] keys = [keyspace.Key("rl:log:" + scope), keyspace.Key("rl:sum:" + scope)];
        RedisValue[] arguments = [rule.Limit, rule.WindowSeconds * 1000L, cost, Guid.NewGuid().ToString("N")];

        var result = (RedisResult[])(await SlidingWindowScript.EvaluateAsync(database, keys, arguments).WaitAsync(cancellationToken))!;
        var allowed = (long)result[0] == 1;
        var remaining = (long)result[1];
        var resetMs = allowed ? (long)result[2] : (long)result[3];
        return new RateLimitDecision(allowed, remaining, TimeSpan.FromMilliseconds(Math.Max(0, resetMs)));
    }
}
