using System.Threading.RateLimiting;

namespace Sdp.Orchestrator.Api.RateLimiting;

/// <summary>The token bucket of one API key: its rate refilled evenly, holding a bounded burst.</summary>
public static class KeyTokenBucket
{
    /// <summary>
    /// A bucket for <paramref name="perMinute"/> requests a minute, one token at a time. It holds
    /// <paramref name="burst"/> tokens, but never more than a minute's worth (a slow key cannot save up beyond its
    /// rate) nor less than a second's worth (a fast key is not throttled below its own rate within a second).
    /// </summary>
    public static TokenBucketRateLimiterOptions Options(int perMinute, int burst) => new()
    {
        TokenLimit = Capacity(perMinute, burst),
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>How many requests the bucket holds: see <see cref="Options"/>.</summary>
    public static int Capacity(int perMinute, int burst) => Math.Max(Math.Min(burst, perMinute), (perMinute + 59) / 60);

    /// <summary>Whole seconds a refused caller should wait, rounded up and at least 1; 1 when the limiter says nothing.</summary>
    public static int RetryAfterSeconds(TimeSpan? wait) =>
        wait is { } known ? Math.Max(1, (int)Math.Ceiling(known.TotalSeconds)) : 1;
}
