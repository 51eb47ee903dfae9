using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sdp.Contracts;
using Sdp.ScenarioRunner;
using Sdp.ScenarioRunner.DistributedCache;
using Sdp.ScenarioRunner.Engine;
using Sdp.ScenarioRunner.Notifications;
using Sdp.ScenarioRunner.RateLimiter;
using Sdp.ScenarioRunner.UrlShortener;
using Sdp.Templates.Catalog;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.ScenarioRunner.Tests.TemplateRuns;

/// <summary>Runs the runner's scenarios, as the bus consumer does, against a template started by the test.</summary>
public static class ScenarioRuns
{
    /// <summary>Enough load to exercise each template's hot path without measuring anything.</summary>
    public static ScenarioLoad Light { get; } = new(RequestsPerSecond: 40, DurationSeconds: 2, Concurrency: 4);

    public static ScenarioEngine Runner(TimeSpan? requestTimeout = null) => new(
        new ScenarioCatalog([new UrlShortenerScenario(), new RateLimiterScenario(), new DistributedCacheScenario(), new NotificationScenario()]),
        Options.Create(new ScenarioOptions { RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10) }),
        TimeProvider.System,
        NullLogger<ScenarioEngine>.Instance);

    public static Task<ScenarioReport> RunAsync(string problemType, Uri endpoint, ScenarioLoad? load = null) =>
        Runner().RunAsync(problemType, endpoint.ToString(), load ?? Light, NoProgress.Instance, CancellationToken.None);

    /// <summary>The <c>custom</c> scenario made from <paramref name="spec"/>, as the consumer runs it from the request's spec.</summary>
    public static Task<ScenarioReport> RunCustomAsync(ServiceSpec? spec, Uri endpoint, ScenarioLoad? load = null) =>
        Runner().RunAsync(CustomServiceTemplate.ProblemType, spec, endpoint.ToString(), load ?? Light, NoProgress.Instance,
            CancellationToken.None);

    /// <summary>Every check passed and no load request failed; otherwise the report says what went wrong.</summary>
    public static void AssertPassed(ScenarioReport report)
    {
        Assert.True(report.Outcome == ScenarioReport.Passed && report.Load is { Errors: 0 }, Describe(report));
    }

    /// <summary>The run completed, <paramref name="check"/> failed with a detail containing each of <paramref name="detailParts"/>.</summary>
    public static ScenarioCheckResult AssertFailed(ScenarioReport report, string check, params string[] detailParts)
    {
        Assert.True(report.Outcome == ScenarioReport.Failed, Describe(report));
        var result = report.Checks.SingleOrDefault(c => c.Name == check);
        Assert.True(result is { Passed: false }, $"check {check} did not fail:{Environment.NewLine}{Describe(report)}");
        foreach (var part in detailParts)
        {
            Assert.True(result!.Detail?.Contains(part, StringComparison.Ordinal) == true,
                $"check {check}'s detail lacks '{part}': {result.Detail}");
        }

        return result!;
    }

    public static string Describe(ScenarioReport report)
    {
        var text = new StringBuilder($"outcome {report.Outcome}; error {report.Error ?? "none"}").AppendLine();
        foreach (var check in report.Checks)
        {
            text.AppendLine($"  {(check.Passed ? "passed" : "FAILED")} {check.Name} {check.Detail}");
        }

        if (report.Load is { } load)
        {
            text.AppendLine($"  load: {load.Requests} requests, {load.Errors} errors " +
                $"({string.Join(", ", load.ErrorsByKind.Select(e => $"{e.Key} {e.Value}"))}), " +
                $"p50 {load.LatencyP50Ms} ms, p95 {load.LatencyP95Ms} ms, p99 {load.LatencyP99Ms} ms, {load.RequestsPerSecond} rps");
        }

        return text.ToString();
    }

    private sealed class NoProgress : IScenarioProgress
    {
        public static NoProgress Instance { get; } = new();

        public Task ReportAsync(ScenarioProgress progress, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
