namespace Sdp.Templates.RateLimiter;

/// <summary>The rate limiter's core, behind an interface so a test can swap in a deliberately broken one.</summary>
internal interface IRateLimiter
{
    /// <summary>Spends <paramref name="cost"/> units of <paramref name="rule"/>'s limit for <paramref name="key"/> when they fit.</summary>
    Task<RateLimitDecision> CheckAsync(RateLimitRule rule, string key, int cost, CancellationToken cancellationToken);
}

/// <param name="Remaining">Units left in the current window after this check.</param>
/// <param name="ResetAfter">Until the window frees capacity: when denied, until this cost would fit; when allowed, until the oldest unit leaves.</param>
internal sealed record RateLimitDecision(bool Allowed, long Remaining, TimeSpan ResetAfter);
