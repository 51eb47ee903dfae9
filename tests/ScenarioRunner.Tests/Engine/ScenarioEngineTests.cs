using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdp.Contracts;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.Tests.Engine;

/// <summary>A whole run: checks in order with their details, outcome, deadline, cancellation and progress.</summary>
public sealed class ScenarioEngineTests
{
    private static readonly ScenarioLoad ShortLoad = new(10, 1, 2);

    [Fact]
    public async Task Checks_run_in_order_and_a_failed_one_says_what_was_expected_and_what_came()
    {
        await using var server = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/good", () => "ok");
            app.MapGet("/broken", () => Results.Problem(statusCode: 500, title: "kaput"));
            app.MapGet("/load/{index:long}", (long index) => "ok");
        });
        var order = new List<string>();
        var scenario = new TestScenario(http =>
        [
            new("first", async ct => { order.Add("first"); Expect.Status(await http.GetAsync("/good", ct), 200); }),
            new("second", async ct => { order.Add("second"); Expect.Status(await http.GetAsync("/broken", ct), 200); }),
            new("third", async ct => { order.Add("third"); Expect.Equal("ok", (await http.GetAsync("/good", ct)).Body, "GET /good body"); }),
        ]);

        var report = await Runners.Create().RunAsync(scenario, server.Url.ToString(), ShortLoad, new RecordingProgress(), CancellationToken.None);

        Assert.Equal(ScenarioReport.Failed, report.Outcome);
        Assert.Equal(["first", "second", "third"], order);
        Assert.Equal(["first", "second", "third"], report.Checks.Select(check => check.Name));
        Assert.Equal([true, false, true], report.Checks.Select(check => check.Passed));
        var detail = report.Checks[1].Detail!;
        Assert.Contains("GET /broken", detail, StringComparison.Ordinal);
        Assert.Contains("expected HTTP 200, got 500", detail, StringComparison.Ordinal);
        Assert.Contains("kaput", detail, StringComparison.Ordinal);
        Assert.Null(report.Checks[0].Detail);
        // A failed check does not stop the load phase: its figures still come back.
        Assert.Equal(10, report.Load!.Requests);
        Assert.Null(report.Error);
    }

    [Fact]
    public async Task A_deployment_that_refuses_connections_fails_its_checks_with_a_connection_detail()
    {
        var closedPort = ClosedLoopbackPort();
        var scenario = new TestScenario(http => [new("reachable", async ct => Expect.Status(await http.GetAsync("/", ct), 200))]);

        var report = await Runners.Create().RunAsync(scenario, $"http://127.0.0.1:{closedPort}", ShortLoad, new RecordingProgress(),
            CancellationToken.None);

        Assert.Equal(ScenarioReport.Failed, report.Outcome);
        Assert.StartsWith("connection failed", report.Checks.Single().Detail, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, long> { ["connection"] = 10 }, report.Load!.ErrorsByKind.ToDictionary());
    }

    [Fact]
    public async Task A_run_past_its_deadline_ends_with_an_error_report_and_the_figures_so_far()
    {
        await using var server = await LoopbackApp.StartAsync(app => app.MapGet("/load/{index:long}", async (long index, HttpContext context) =>
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
            return "ok";
        }));
        var runner = Runners.Create(requestTimeout: TimeSpan.FromSeconds(50), deadlineMargin: TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        var report = await runner.RunAsync(new TestScenario(), server.Url.ToString(), new ScenarioLoad(10, 1, 4), new RecordingProgress(),
            CancellationToken.None);

        Assert.Equal(ScenarioReport.Errored, report.Outcome);
        Assert.Contains("deadline of 2 s", report.Error, StringComparison.Ordinal);
        // Every slot was held by a request that never answered; the run still stopped, long before the request timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"the run took {clock.Elapsed}");
        Assert.Equal(4, report.Load!.Requests - report.Load.ErrorsByKind.GetValueOrDefault(LoadOutcome.NotSentKind));
    }

    [Fact]
    public async Task A_hanging_check_is_stopped_by_the_deadline_too()
    {
        await using var server = await LoopbackApp.StartAsync(app => app.MapGet("/slow", async (HttpContext context) =>
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
            return "ok";
        }));
        var scenario = new TestScenario(http => [new("slow", async ct => await http.GetAsync("/slow", ct))]);

        var report = await Runners.Create(requestTimeout: TimeSpan.FromSeconds(50), deadlineMargin: TimeSpan.FromSeconds(1))
            .RunAsync(scenario, server.Url.ToString(), ShortLoad, new RecordingProgress(), CancellationToken.None);

        Assert.Equal(ScenarioReport.Errored, report.Outcome);
        Assert.Contains("deadline", report.Error, StringComparison.Ordinal);
        Assert.Empty(report.Checks);
        Assert.Null(report.Load);
    }

    [Fact]
    public async Task Cancelling_a_run_ends_it_with_an_error_report()
    {
        await using var server = await LoopbackApp.StartAsync(app => app.MapGet("/load/{index:long}", (long index) => "ok"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));

        var report = await Runners.Create().RunAsync(new TestScenario(), server.Url.ToString(), new ScenarioLoad(20, 30, 2),
            new RecordingProgress(), cancel.Token);

        Assert.Equal(ScenarioReport.Errored, report.Outcome);
        Assert.Contains("cancelled", report.Error, StringComparison.Ordinal);
        Assert.InRange(report.Load!.Requests, 1, 599);
    }

    [Fact]
    public async Task Progress_is_reported_at_each_phase_and_about_every_second_of_load()
    {
        await using var server = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/ok", () => "ok");
            app.MapGet("/load/{index:long}", (long index) => "ok");
        });
        var scenario = new TestScenario(http =>
        [
            new("passes", async ct => Expect.Status(await http.GetAsync("/ok", ct), 200)),
            new("fails", _ => throw new CheckFailedException("on purpose")),
        ]);
        var progress = new RecordingProgress();

        var report = await Runners.Create().RunAsync(scenario, server.Url.ToString(), new ScenarioLoad(20, 3, 2), progress, CancellationToken.None);

        var reports = progress.Reports;
        Assert.Equal(ScenarioProgress.ChecksPhase, reports[0].Phase);
        Assert.Equal((0, 0), (reports[0].ChecksPassed, reports[0].ChecksFailed));
        var loadStart = reports.First(r => r.Phase == ScenarioProgress.LoadPhase);
        Assert.Equal((1, 1, 60L), (loadStart.ChecksPassed, loadStart.ChecksFailed, loadStart.RequestsPlanned));
        var duringLoad = reports.SkipWhile(r => r != loadStart).Skip(1).TakeWhile(r => r.Phase == ScenarioProgress.LoadPhase).ToList();
        Assert.True(duringLoad.Count >= 2, $"{duringLoad.Count} progress reports during 3 s of load");
        Assert.Contains(duringLoad, r => r.RequestsSent is > 0 and < 60);
        Assert.Equal(duringLoad.Select(r => r.RequestsSent).Order(), duringLoad.Select(r => r.RequestsSent));
        var last = reports[^1];
        Assert.Equal(ScenarioProgress.DonePhase, last.Phase);
        Assert.Equal((60L, 60L, 1, 1), (last.RequestsSent, last.RequestsPlanned, last.ChecksPassed, last.ChecksFailed));
        Assert.Equal(ScenarioReport.Failed, report.Outcome);
    }

    [Fact]
    public async Task A_failing_progress_sink_does_not_fail_the_run()
    {
        await using var server = await LoopbackApp.StartAsync(app => app.MapGet("/load/{index:long}", (long index) => "ok"));

        var report = await Runners.Create().RunAsync(new TestScenario(), server.Url.ToString(), ShortLoad, new ThrowingProgress(),
            CancellationToken.None);

        Assert.Equal(ScenarioReport.Passed, report.Outcome);
        Assert.Equal(10, report.Load!.Requests);
    }

    [Fact]
    public async Task Load_beyond_the_contract_is_clamped()
    {
        Assert.Equal(new ScenarioLoad(ScenarioLoad.MaxRequestsPerSecond, ScenarioLoad.MaxDurationSeconds, ScenarioLoad.MaxConcurrency),
            ScenarioEngine.Clamp(new ScenarioLoad(100_000, 3_600, 10_000)));
        Assert.Equal(new ScenarioLoad(1, 1, 1), ScenarioEngine.Clamp(new ScenarioLoad(0, -5, 0)));

        await using var server = await LoopbackApp.StartAsync(app => app.MapGet("/load/{index:long}", (long index) => "ok"));
        var report = await Runners.Create().RunAsync(new TestScenario(), server.Url.ToString(), new ScenarioLoad(5, 0, 0),
            new RecordingProgress(), CancellationToken.None);
        Assert.Equal(new ScenarioLoad(5, 1, 1), report.Load!.Settings);
        Assert.Equal(5, report.Load.Requests);
    }

    [Fact]
    public async Task An_unknown_problem_type_or_a_bad_endpoint_is_an_error_report_without_traffic()
    {
        var runner = Runners.Create(scenarios: new TestScenario());

        var unknown = await runner.RunAsync("parking_lot", "http://127.0.0.1:1", ShortLoad, new RecordingProgress(), CancellationToken.None);
        var badEndpoint = await runner.RunAsync("test", "file:///etc/passwd", ShortLoad, new RecordingProgress(), CancellationToken.None);

        Assert.Equal(ScenarioReport.Errored, unknown.Outcome);
        Assert.Contains("'parking_lot'", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("test", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ScenarioReport.Errored, badEndpoint.Outcome);
        Assert.Contains("not an absolute http or https URL", badEndpoint.Error, StringComparison.Ordinal);
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ThrowingProgress : IScenarioProgress
    {
        public Task ReportAsync(ScenarioProgress progress, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the bus is down");
    }
}
