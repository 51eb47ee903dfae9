using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sdp.Contracts;
using Sdp.ScenarioRunner;
using Sdp.ScenarioRunner.Engine;
using Sdp.ScenarioRunner.Tests.Engine;

namespace Sdp.ScenarioRunner.Tests.Messaging;

/// <summary>The bus side, on MassTransit's in-memory test harness: progress, the report, and redelivery.</summary>
public sealed class ScenarioRunRequestedConsumerTests : IAsyncLifetime
{
    private int loadRequests;
    private LoopbackApp server = null!;
    private IHost host = null!;
    private ITestHarness harness = null!;

    public async Task InitializeAsync()
    {
        server = await LoopbackApp.StartAsync(app => app.MapGet("/load/{index:long}", (long index) =>
        {
            Interlocked.Increment(ref loadRequests);
            return "ok";
        }));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Scenarios:RequestTimeout"] = "00:00:05" });
        builder.AddScenarios();
        builder.Services.AddSingleton<IScenario>(new TestScenario(http => [new("always", _ => Task.CompletedTask)]));
        builder.Services.AddMassTransitTestHarness(bus => bus.AddScenarioConsumers());
        host = builder.Build();
        await host.StartAsync();
        harness = host.Services.GetRequiredService<ITestHarness>();
    }

    public async Task DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_requested_run_publishes_progress_then_its_report()
    {
        var request = new ScenarioRunRequested(41, 7, "test", server.Url.ToString(), new ScenarioLoad(10, 1, 2), DateTimeOffset.UtcNow);

        await harness.Bus.Publish(request);

        Assert.True(await harness.Published.Any<ScenarioRunCompleted>(m => m.Context.Message.RunId == 41));
        var completed = harness.Published.Select<ScenarioRunCompleted>().Single().Context.Message;
        Assert.Equal(7, completed.DeploymentId);
        Assert.Equal(ScenarioReport.Passed, completed.Report.Outcome);
        Assert.Equal(10, completed.Report.Load!.Requests);
        var phases = harness.Published.Select<ScenarioRunProgressed>().Select(m => m.Context.Message)
            .Where(m => m.RunId == 41 && m.DeploymentId == 7).Select(m => m.Phase).ToList();
        Assert.Equal(ScenarioProgress.ChecksPhase, phases[0]);
        Assert.Contains(ScenarioProgress.LoadPhase, phases);
        Assert.Equal(ScenarioProgress.DonePhase, phases[^1]);
    }

    [Fact]
    public async Task A_redelivered_request_gets_the_same_report_without_a_second_run()
    {
        var request = new ScenarioRunRequested(42, 8, "test", server.Url.ToString(), new ScenarioLoad(10, 1, 2), DateTimeOffset.UtcNow);

        await harness.Bus.Publish(request);
        Assert.True(await harness.Published.Any<ScenarioRunCompleted>(m => m.Context.Message.RunId == 42));
        await harness.Bus.Publish(request);
        var reports = await CompletedReportsAsync(42, expected: 2);

        Assert.Equal(10, Volatile.Read(ref loadRequests));
        Assert.Equal(reports[0].StartedAt, reports[1].StartedAt);
        Assert.Equal(reports[0].FinishedAt, reports[1].FinishedAt);
        Assert.Equal(reports[0].Outcome, reports[1].Outcome);
        Assert.Equal(reports[0].Load!.LatencyP99Ms, reports[1].Load!.LatencyP99Ms);
    }

    [Fact]
    public async Task An_unknown_problem_type_is_reported_as_an_error()
    {
        await harness.Bus.Publish(new ScenarioRunRequested(43, 9, "parking_lot", server.Url.ToString(), ScenarioLoad.Default, DateTimeOffset.UtcNow));

        var report = (await CompletedReportsAsync(43, expected: 1))[0];
        Assert.Equal(ScenarioReport.Errored, report.Outcome);
        Assert.Contains("parking_lot", report.Error, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref loadRequests));
    }

    private async Task<List<ScenarioReport>> CompletedReportsAsync(long runId, int expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reports = new List<ScenarioReport>();
        await foreach (var message in harness.Published.SelectAsync<ScenarioRunCompleted>(m => m.Context.Message.RunId == runId, timeout.Token))
        {
            reports.Add(message.Context.Message.Report);
            if (reports.Count == expected)
            {
                break;
            }
        }

        Assert.Equal(expected, reports.Count);
        return reports;
    }
}
