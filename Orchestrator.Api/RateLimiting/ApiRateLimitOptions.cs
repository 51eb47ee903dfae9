using System.ComponentModel.DataAnnotations;

namespace Sdp.Orchestrator.Api.RateLimiting;

/// <summary>Requests each API key may make; a key created with its own <c>requests_per_minute</c> overrides the rate.</summary>
public sealed class ApiRateLimitOptions
{
    public const string Section = "RateLimit";

    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>
    /// Requests a key may make at once after being idle (the token bucket's size), at most its rate per minute and
    /// at least its rate per second.
    /// </summary>
    [Range(1, 100_000)]
    public int Burst { get; set; } = 100;
}
