using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Sdp.Templates.RateLimiter;

/// <summary>
/// The exact sliding window, run atomically inside Redis. KEYS[1] is a sorted set of the units spent in the
/// window (member <c>{unique id}:{cost}</c>, score = Redis server time in ms), KEYS[2] their total. Expired
/// members are removed and subtracted, the cost is added only if the total stays within the limit, and both
/// keys expire a window after the last spend. Redis's own clock (TIME) is the one clock every instance shares.
/// Returns {allowed, remaining, ms until the oldest unit leaves, ms until this cost would fit (0 if allowed)}.
/// </summary>
internal static class SlidingWindowScript
{
    public const string Source = """
        local log, total = KEYS[1], KEYS[2]
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local cost = tonumber(ARGV[3])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local function cost_of(member) return tonumber(string.match(member, ':(%d+)$')) end

        local used = tonumber(redis.call('GET', total) or '0')
        local expired = redis.call('ZRANGEBYSCORE', log, '-inf', now - window)
        for i = 1, #expired do used = used - cost_of(expired[i]) end
        if #expired > 0 then redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window) end
        if used < 0 or redis.call('ZCARD', log) == 0 then used = 0 end

        local allowed = 0
        if used + cost <= limit then
          redis.call('ZADD', log, now, ARGV[4] .. ':' .. cost)
          used = used + cost
          allowed = 1
        end

        local reset = 0
        if used > 0 then
          redis.call('SET', total, used, 'PX', window)
          redis.call('PEXPIRE', log, window)
          local oldest = redis.call('ZRANGE', log, 0, 0, 'WITHSCORES')
          reset = tonumber(oldest[2]) + window - now
        else
          redis.call('DEL', total, log)
        end

        local retry = 0
        if allowed == 0 then
          local need = used + cost - limit
          local freed = 0
          local start = 0
          while freed < need do
            local page = redis.call('ZRANGE', log, start, start + 127, 'WITHSCORES')
            if #page == 0 then break end
            for i = 1, #page, 2 do
              freed = freed + cost_of(page[i])
              if freed >= need then
                retry = tonumber(page[i + 1]) + window - now
                break
              end
            end
            start = start + 128
          end
        end

        local remaining = limit - used
        if remaining < 0 then remaining = 0 end
        return {allowed, remaining, reset, retry}
        """;

    private static readonly byte[] Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Source));

    /// <summary>EVALSHA, and EVAL (which caches the script again) when the server does not know it, e.g. after a restart.</summary>
    public static async Task<RedisResult> EvaluateAsync(IDatabase database, RedisKey[] keys, RedisValue[] arguments)
    {
        try
        {
            return await database.ScriptEvaluateAsync(Sha1, keys, arguments);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(Source, keys, arguments);
        }
    }
}
