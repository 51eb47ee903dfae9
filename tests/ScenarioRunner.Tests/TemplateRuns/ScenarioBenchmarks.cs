using System.Globalization;
using Sdp.Contracts;
using Sdp.Templates;
using Sdp.Templates.Catalog.Custom;
using Sdp.Templates.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sdp.ScenarioRunner.Tests.TemplateRuns;

/// <summary>
/// Each template under its scenario at a stated load, on real PostgreSQL and Redis, in this process (template and
/// load generator share the machine). Prints latency percentiles (measured from each request's due time) and
/// throughput; asserts only that the run was carried out. A benchmark:
/// <c>SDP_BENCHMARKS=1 dotnet test tests/ScenarioRunner.Tests --filter ScenarioBenchmarks --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class ScenarioBenchmarks(CandidateStores stores, ITestOutputHelper output)
{
    private static readonly ScenarioLoad Load = new(RequestsPerSecond: 200, DurationSeconds: 10, Concurrency: 16);

    /// <summary>The most a run request may ask for: where the generic service and the URL shortener part, if anywhere.</summary>
    private static readonly ScenarioLoad MaxLoad = new(ScenarioLoad.MaxRequestsPerSecond, 10, ScenarioLoad.MaxConcurrency);

    /// <summary>The templates, and the generic service serving the chat-system example spec.</summary>
    public static TheoryData<string> ProblemTypes => ["url_shortener", "rate_limiter", "distributed_cache", "notification_system", "custom"];

    [BenchmarkTheory]
    [MemberData(nameof(ProblemTypes))]
    public Task Scenario_at_200_rps_for_10_s_with_16_in_flight(string problemType) => RunAsync(problemType, Load);

    [BenchmarkTheory]
    [InlineData("url_shortener")]
    [InlineData("custom")]
    public Task Scenario_at_500_rps_for_10_s_with_64_in_flight(string problemType) => RunAsync(problemType, MaxLoad);

    private async Task RunAsync(string problemType, ScenarioLoad measured)
    {
        var template = TemplateCatalog.Find(problemType);
        if (template is null)
        {
            output.WriteLine($"{problemType}: no template to run yet");
            return;
        }

        var spec = template.RequiresServiceSpec ? ServiceSpecExamples.ChatSystem : null;
        await using var app = await stores.StartAsync(template, spec: spec);
        // A first, light run warms the template and the generator (JIT, connection pools) so the figures are steady state.
        await Run(new ScenarioLoad(50, 1, 4));

        var report = await Run(measured);

        output.WriteLine(ScenarioRuns.Describe(report));
        var load = report.Load!;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{problemType} at {measured.RequestsPerSecond} rps × {measured.DurationSeconds} s, {measured.Concurrency} in flight: " +
            $"p50 {load.LatencyP50Ms:0.0} ms, p95 {load.LatencyP95Ms:0.0} ms, p99 {load.LatencyP99Ms:0.0} ms, " +
            $"{load.RequestsPerSecond:0.0} requests/s over {load.DurationSeconds:0.00} s, {load.Errors} errors of {load.Requests}"));
        Assert.NotEqual(ScenarioReport.Errored, report.Outcome);

        Task<ScenarioReport> Run(ScenarioLoad load) => spec is null
            ? ScenarioRuns.RunAsync(problemType, app.Url, load)
            : ScenarioRuns.RunCustomAsync(spec, app.Url, load);
    }
}
