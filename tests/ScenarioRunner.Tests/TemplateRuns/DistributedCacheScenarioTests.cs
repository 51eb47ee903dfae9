using Microsoft.Extensions.DependencyInjection;
using Sdp.Templates.DistributedCache;
using Sdp.Templates.Tests.Infrastructure;

namespace Sdp.ScenarioRunner.Tests.TemplateRuns;

/// <summary>The distributed_cache scenario passes against the real template and names the fault of a broken one.</summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class DistributedCacheScenarioTests(CandidateStores stores)
{
    [Fact]
    public async Task The_template_passes_every_check_and_its_load()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor);

        var report = await ScenarioRuns.RunAsync("distributed_cache", app.Url);

        ScenarioRuns.AssertPassed(report);
        Assert.Equal(["reads_your_writes", "overwrites_seen", "delete_honoured", "expiry_honoured", "stats_move"],
            report.Checks.Select(check => check.Name));
    }

    [Fact]
    public async Task A_cache_that_ignores_ttl_fails_the_expiry_check()
    {
        await using var app = await StartBrokenAsync(inner => new BrokenCache(inner, set: (key, value, ttl, ct) => inner.SetAsync(key, value, null, ct)));

        var report = await ScenarioRuns.RunAsync("distributed_cache", app.Url);

        ScenarioRuns.AssertFailed(report, "expiry_honoured", "expiry", "expires_at");
    }

    [Fact]
    public async Task A_cache_that_serves_expired_entries_from_memory_fails_the_expiry_check()
    {
        await using var app = await StartBrokenAsync(inner => new StaleMemoryCache(inner));

        var report = await ScenarioRuns.RunAsync("distributed_cache", app.Url);

        ScenarioRuns.AssertFailed(report, "expiry_honoured", "1.5 s after writing it with ttl_seconds 1: expected HTTP 404, got 200");
    }

    [Fact]
    public async Task A_cache_that_keeps_the_first_value_fails_the_overwrite_check()
    {
        await using var app = await StartBrokenAsync(inner => new BrokenCache(inner, set: async (key, value, ttl, ct) =>
            await inner.GetAsync(key, ct) is { } existing ? existing.Entry with { Value = value } : await inner.SetAsync(key, value, ttl, ct)));

        var report = await ScenarioRuns.RunAsync("distributed_cache", app.Url);

        ScenarioRuns.AssertFailed(report, "overwrites_seen", "value: expected 'second', got 'first'");
    }

    [Fact]
    public async Task A_cache_whose_delete_does_nothing_fails_the_delete_check()
    {
        await using var app = await StartBrokenAsync(inner => new BrokenCache(inner, remove: (key, ct) => Task.FromResult(true)));

        var report = await ScenarioRuns.RunAsync("distributed_cache", app.Url);

        ScenarioRuns.AssertFailed(report, "delete_honoured", "expected HTTP 404, got 200");
    }

    private Task<TemplateUnderTest> StartBrokenAsync(Func<ICacheService, ICacheService> broken) =>
        stores.StartAsync(DistributedCacheTemplate.Descriptor, configureServices: services =>
            services.AddSingleton<ICacheService>(provider => broken(ActivatorUtilities.CreateInstance<WriteThroughCacheService>(provider))));

    private sealed class BrokenCache(
        ICacheService inner,
        Func<string, string, TimeSpan?, CancellationToken, Task<CacheEntry>>? set = null,
        Func<string, CancellationToken, Task<bool>>? remove = null) : ICacheService
    {
        public Task<CacheEntry> SetAsync(string key, string value, TimeSpan? ttl, CancellationToken cancellationToken) =>
            (set ?? inner.SetAsync)(key, value, ttl, cancellationToken);

        public Task<CacheLookup?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public Task<bool> RemoveAsync(string key, CancellationToken cancellationToken) =>
            (remove ?? inner.RemoveAsync)(key, cancellationToken);
    }

    /// <summary>A process-local copy in front of the real cache that forgets to check expiry.</summary>
    private sealed class StaleMemoryCache(ICacheService inner) : ICacheService
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CacheEntry> memory = new(StringComparer.Ordinal);

        public async Task<CacheEntry> SetAsync(string key, string value, TimeSpan? ttl, CancellationToken cancellationToken) =>
            memory[key] = await inner.SetAsync(key, value, ttl, cancellationToken);

        public async Task<CacheLookup?> GetAsync(string key, CancellationToken cancellationToken) =>
            memory.TryGetValue(key, out var entry) ? new CacheLookup(entry, Hit: true) : await inner.GetAsync(key, cancellationToken);

        public Task<bool> RemoveAsync(string key, CancellationToken cancellationToken)
        {
            memory.TryRemove(key, out _);
            return inner.RemoveAsync(key, cancellationToken);
        }
    }
}
