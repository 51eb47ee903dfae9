using Microsoft.Extensions.Configuration;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.DistributedCache;

/// <summary>The cache's settings, read and validated once at start-up.</summary>
internal sealed record DistributedCacheOptions(TimeSpan? DefaultTtl, int MaxTtlSeconds, TimeSpan SweepInterval)
{
    public static DistributedCacheOptions From(IConfiguration configuration)
    {
        var maxTtl = configuration.ReadInteger(DistributedCacheTemplate.MaxTtl, 1, DistributedCacheTemplate.MaxTtlSeconds);
        var defaultTtl = configuration.ReadInteger(DistributedCacheTemplate.DefaultTtlSeconds, 0, maxTtl);
        return new DistributedCacheOptions(
            defaultTtl == 0 ? null : TimeSpan.FromSeconds(defaultTtl),
            maxTtl,
            TimeSpan.FromSeconds(configuration.ReadInteger(DistributedCacheTemplate.SweepIntervalSeconds, 1, 3600)));
    }
}
