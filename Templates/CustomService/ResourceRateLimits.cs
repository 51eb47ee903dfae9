using System.Threading.RateLimiting;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Templates.CustomService;

/// <summary>
/// One token bucket per resource whose spec asks for a rate limit, over all its endpoints, in this instance: the spec's
/// requests per second refill it, up to its burst.
/// </summary>
internal sealed class ResourceRateLimits : IDisposable
{
    private readonly Dictionary<string, TokenBucketRateLimiter> limiters = new(StringComparer.Ordinal);

    public ResourceRateLimits(ServiceSpec spec)
    {
        foreach (var resource in spec.Resources)
        {
            if (resource.RateLimit is { } limit)
            {
                limiters[resource.Name] = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limit.Burst,
                    TokensPerPeriod = limit.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            }
        }
    }

    /// <summary>True when the request may go on: the resource has no limit, or a token was left.</summary>
    public bool TryAcquire(ResourceSpec resource)
    {
        if (!limiters.TryGetValue(resource.Name, out var limiter))
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire();
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        foreach (var limiter in limiters.Values)
        {
            limiter.Dispose();
        }
    }
}
