using Sdp.Orchestrator.Api.RateLimiting;

namespace Sdp.Orchestrator.Api.Tests.RateLimiting;

/// <summary>One API key's bucket: its rate refilled evenly, a bounded burst.</summary>
public sealed class KeyTokenBucketTests
{
    [Fact]
    public void The_default_rate_holds_the_configured_burst()
    {
        Assert.Equal(100, KeyTokenBucket.Capacity(perMinute: 600, burst: 100));
    }

    [Fact]
    public void A_slow_key_never_holds_more_than_a_minutes_worth()
    {
        Assert.Equal(30, KeyTokenBucket.Capacity(perMinute: 30, burst: 100));
    }

    [Fact]
    public void A_fast_key_holds_at_least_a_seconds_worth_rounded_up()
    {
        Assert.Equal(200, KeyTokenBucket.Capacity(perMinute: 12_000, burst: 100));
        Assert.Equal(201, KeyTokenBucket.Capacity(perMinute: 12_001, burst: 100));
    }

    [Fact]
    public void Tokens_come_back_one_at_a_time_evenly_over_the_minute_and_nothing_queues()
    {
        var options = KeyTokenBucket.Options(perMinute: 600, burst: 100);

        Assert.Equal(TimeSpan.FromMilliseconds(100), options.ReplenishmentPeriod);
        Assert.Equal(1, options.TokensPerPeriod);
        Assert.Equal(0, options.QueueLimit);
    }

    [Fact]
    public void A_refused_caller_waits_whole_seconds_rounded_up_and_at_least_one()
    {
        Assert.Equal(1, KeyTokenBucket.RetryAfterSeconds(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(3, KeyTokenBucket.RetryAfterSeconds(TimeSpan.FromSeconds(2.5)));
        Assert.Equal(1, KeyTokenBucket.RetryAfterSeconds(null));
    }
}
