using System.Collections.Concurrent;

namespace Sdp.Templates.RateLimiter;

/// <summary>
/// Rules as checks see them: each read from PostgreSQL is reused for at most
/// <see cref="RateLimiterOptions.RuleCacheDuration"/> (≤ 1 s), unknown names included. A change made through
/// this instance drops its entry at once; other instances pick it up when their entry ages out, so a change
/// is in force everywhere within a second without any cross-instance messaging.
/// </summary>
internal sealed class RuleCache(RuleStore store, RateLimiterOptions options, TimeProvider timeProvider)
{
    /// <summary>Bounds the memory that checks against many unknown rule names could take.</summary>
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, CachedRule> entries = new(StringComparer.Ordinal);

    public async Task<RateLimitRule?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (entries.TryGetValue(name, out var cached)
            && timeProvider.GetElapsedTime(cached.ReadStartedAt) < options.RuleCacheDuration)
        {
            return cached.Rule;
        }

        // Aged from when the read started, so an entry is never older than the cache duration allows.
        var readStartedAt = timeProvider.GetTimestamp();
        var rule = await store.FindAsync(name, cancellationToken);
        if (options.RuleCacheDuration > TimeSpan.Zero)
        {
            if (entries.Count >= MaxEntries)
            {
                entries.Clear();
            }

            entries[name] = new CachedRule(rule, readStartedAt);
        }

        return rule;
    }

    public void Invalidate(string name) => entries.TryRemove(name, out _);

    private sealed record CachedRule(RateLimitRule? Rule, long ReadStartedAt);
}
