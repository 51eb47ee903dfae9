using Microsoft.Extensions.DependencyInjection;
using Sdp.Templates.RateLimiter;
using Sdp.Templates.Tests.Infrastructure;

namespace Sdp.ScenarioRunner.Tests.TemplateRuns;

/// <summary>The rate_limiter scenario passes against the real template and names the fault of a broken one.</summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class RateLimiterScenarioTests(CandidateStores stores)
{
    [Fact]
    public async Task The_template_passes_every_check_and_its_load()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor);

        var report = await ScenarioRuns.RunAsync("rate_limiter", app.Url);

        ScenarioRuns.AssertPassed(report);
        Assert.Equal(7, report.Checks.Count);
    }

    [Fact]
    public async Task An_off_by_one_limiter_fails_the_exact_count()
    {
        await using var app = await StartBrokenAsync((inner, rule, key, cost, ct) => inner.CheckAsync(rule with { Limit = rule.Limit + 1 }, key, cost, ct));

        var report = await ScenarioRuns.RunAsync("rate_limiter", app.Url);

        ScenarioRuns.AssertFailed(report, "exactly_limit_allowed", "check 6 of 10", "expected False, got True");
        ScenarioRuns.AssertFailed(report, "concurrent_checks_exact", "expected 10, got 11");
    }

    [Fact]
    public async Task A_limiter_with_one_counter_for_every_key_fails_key_independence()
    {
        await using var app = await StartBrokenAsync((inner, rule, key, cost, ct) => inner.CheckAsync(rule, "everyone", cost, ct));

        var report = await ScenarioRuns.RunAsync("rate_limiter", app.Url);

        ScenarioRuns.AssertFailed(report, "keys_independent", "on another key after one key was spent: expected 200, got 429");
    }

    [Fact]
    public async Task A_limiter_that_ignores_cost_fails_the_cost_check()
    {
        await using var app = await StartBrokenAsync((inner, rule, key, cost, ct) => inner.CheckAsync(rule, key, 1, ct));

        var report = await ScenarioRuns.RunAsync("rate_limiter", app.Url);

        ScenarioRuns.AssertFailed(report, "cost_honoured", "remaining after cost 3: expected 2, got 4");
    }

    private Task<TemplateUnderTest> StartBrokenAsync(
        Func<IRateLimiter, RateLimitRule, string, int, CancellationToken, Task<RateLimitDecision>> check) =>
        stores.StartAsync(RateLimiterTemplate.Descriptor, configureServices: services =>
            services.AddSingleton<IRateLimiter>(provider => new BrokenLimiter(ActivatorUtilities.CreateInstance<SlidingWindowLimiter>(provider), check)));

    private sealed class BrokenLimiter(
        IRateLimiter inner,
        Func<IRateLimiter, RateLimitRule, string, int, CancellationToken, Task<RateLimitDecision>> check) : IRateLimiter
    {
        public Task<RateLimitDecision> CheckAsync(RateLimitRule rule, string key, int cost, CancellationToken cancellationToken) =>
            check(inner, rule, key, cost, cancellationToken);
    }
}
