using Sdp.Templates.RateLimiter;

namespace Sdp.Templates.Tests.Broken;

/// <summary>The exact limiter run against <c>limit + 1</c>, reporting the real limit: an off-by-one.</summary>
internal sealed class OneTooManyRateLimiter(SlidingWindowLimiter exact) : IRateLimiter
{
    public async Task<RateLimitDecision> CheckAsync(RateLimitRule rule, string key, int cost, CancellationToken cancellationToken)
    {
        var decision = await exact.CheckAsync(rule with { Limit = rule.Limit + 1 }, key, cost, cancellationToken);
        return decision with { Remaining = Math.Max(0, decision.Remaining - 1) };
    }
}
