using Microsoft.Extensions.Configuration;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.RateLimiter;

/// <summary>The rate limiter's settings, read and validated once at start-up.</summary>
internal sealed record RateLimiterOptions(int DefaultLimit, int DefaultWindowSeconds, TimeSpan RuleCacheDuration)
{
    public static RateLimiterOptions From(IConfiguration configuration) => new(
        configuration.ReadInteger(RateLimiterTemplate.DefaultLimit, RateLimitRule.MinLimit, RateLimitRule.MaxLimit),
        configuration.ReadInteger(RateLimiterTemplate.DefaultWindowSeconds, RateLimitRule.MinWindowSeconds, RateLimitRule.MaxWindowSeconds),
        // At most one second, so a rule change is in force everywhere within a second.
        TimeSpan.FromMilliseconds(configuration.ReadInteger(RateLimiterTemplate.RuleCacheMilliseconds, 0, 1000)));
}
