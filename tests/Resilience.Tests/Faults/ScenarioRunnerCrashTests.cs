using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Sdp.Resilience.Tests.Infrastructure;
using Sdp.Testing;
using Xunit.Abstractions;

namespace Sdp.Resilience.Tests.Faults;

/// <summary>
/// kill -9 of the scenario runner in the middle of a run's load: the broker hands the unacknowledged request back, and
/// the runner that takes it (here the same one, started again as a supervisor would) closes the run as <c>error</c> with
/// the reason, long before the deadline watcher would; the deployment takes new runs at once.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class ScenarioRunnerCrashTests(ResilienceFixture platform, ITestOutputHelper output)
{
    private const string Runner = "scenario-runner";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly PlatformApi api = new(platform);

    [Fact]
    public async Task A_runner_killed_mid_run_leaves_no_run_stuck()
    {
        await platform.WaitUntilAllHealthyAsync(StepTimeout);
        var deployment = await api.DeployAsync();
        using (var ready = new CancellationTokenSource(StepTimeout))
        {
            Assert.Equal("ready", (await api.WaitForAnyAsync(deployment.Id, PlatformApi.Final, ready.Token))?.State);
        }

        // Long enough that the kill falls inside the load phase, far shorter than the deadline watcher's grace.
        var runId = await StartRunAsync(deployment.Id, requestsPerSecond: 20, durationSeconds: 30);
        var running = await WaitForRunAsync(deployment.Id, runId,
            run => run.GetProperty("progress") is { ValueKind: JsonValueKind.Object } progress
                && progress.GetProperty("phase").GetString() == "load" && progress.GetProperty("requests_sent").GetInt64() > 0);
        Assert.Equal("running", running.GetProperty("state").GetString());

        var pid = platform.App.GetProcessId(Runner) ?? throw new InvalidOperationException("The runner has no process.");
        Signals.Send(pid, Signals.SIGKILL);
        output.WriteLine($"killed {Runner} (pid {pid}) at {running.GetProperty("progress").GetProperty("requests_sent")} requests sent");
        using (var restart = new CancellationTokenSource(StepTimeout))
        {
            await platform.App.ResourceNotifications.WaitForResourceAsync(Runner,
                e => e.Snapshot.HasEnded(), restart.Token);
            await platform.App.StartNewProcessAsync(Runner, KnownResourceCommands.StartCommand, restart.Token);
        }

        var completed = await WaitForRunAsync(deployment.Id, runId, run => run.GetProperty("state").GetString() == "completed");
        output.WriteLine(completed.GetProperty("report").ToString());
        Assert.Equal("error", completed.GetProperty("outcome").GetString());
        Assert.Contains("scenario runner carrying out this run stopped before it finished",
            completed.GetProperty("report").GetProperty("error").GetString(), StringComparison.Ordinal);

        // The deployment is free again, and the restarted runner carries out the next run in full.
        var next = await StartRunAsync(deployment.Id, requestsPerSecond: 5, durationSeconds: 1);
        var passed = await WaitForRunAsync(deployment.Id, next, run => run.GetProperty("state").GetString() == "completed");
        Assert.Equal("passed", passed.GetProperty("outcome").GetString());
        await api.DeleteAsync(deployment.Id);
    }

    private async Task<long> StartRunAsync(long deploymentId, int requestsPerSecond, int durationSeconds)
    {
        using var response = await platform.Api.PostAsJsonAsync($"/api/deployments/{deploymentId}/scenarios",
            new { load = new { requests_per_second = requestsPerSecond, duration_seconds = durationSeconds, concurrency = 2 } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Polls the run until <paramref name="reached"/> holds; fails with the run as last seen after a minute.</summary>
    private async Task<JsonElement> WaitForRunAsync(long deploymentId, long runId, Func<JsonElement, bool> reached)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var run = await platform.Api.GetFromJsonAsync<JsonElement>($"/api/deployments/{deploymentId}/scenarios/{runId}");
            if (reached(run))
            {
                return run;
            }

            Assert.True(TimeProvider.System.GetElapsedTime(started) < StepTimeout, $"Run {runId} is stuck: {run}");
            await Task.Delay(100);
        }
    }
}
