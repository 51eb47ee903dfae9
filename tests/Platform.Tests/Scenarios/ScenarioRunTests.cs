using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sdp.Contracts;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Scenarios;

[Collection(PlatformCollection.Name)]
public sealed class ScenarioRunTests(PlatformFixture platform)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private readonly PlatformClient client = new(platform);
    private readonly ResourceProbe probe = new(platform);

    [Fact]
    public async Task A_scenario_run_reports_progress_then_a_passing_report_and_cleans_up_when_asked()
    {
        var ready = await client.DeployReadyAsync();

        using var response = await platform.Api.PostAsJsonAsync($"/api/deployments/{ready.Id}/scenarios", new
        {
            load = new { requests_per_second = 40, duration_seconds = 2, concurrency = 4 },
            cleanup_after_test = true,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var runId = accepted.GetProperty("id").GetInt64();
        Assert.Equal($"/api/deployments/{ready.Id}/scenarios/{runId}", response.Headers.Location?.OriginalString);
        Assert.Equal("queued", accepted.GetProperty("state").GetString());
        Assert.Equal(40, accepted.GetProperty("load").GetProperty("requests_per_second").GetInt32());
        Assert.True(accepted.GetProperty("cleanup_after_test").GetBoolean());

        var (run, phasesSeen) = await WaitForCompletionAsync(ready.Id, runId);
        Assert.Equal("passed", run.GetProperty("outcome").GetString());
        var report = run.GetProperty("report");
        var checks = report.GetProperty("checks").EnumerateArray().ToList();
        Assert.NotEmpty(checks);
        Assert.All(checks, check => Assert.True(check.GetProperty("passed").GetBoolean(), check.ToString()));
        var load = report.GetProperty("load");
        Assert.True(load.GetProperty("requests").GetInt64() > 0);
        Assert.True(load.GetProperty("latency_p99_ms").GetDouble() >= load.GetProperty("latency_p50_ms").GetDouble());
        Assert.Equal(checks.Count, run.GetProperty("progress").GetProperty("checks_passed").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, run.GetProperty("started_at").ValueKind);
        // Progress was visible while it ran, not only the end result.
        Assert.Contains(phasesSeen, phase => phase is not ("queued" or "completed"));

        // Asked for: the deployment is removed once the run is over, every trace of it.
        await client.WaitForStateAsync(ready.Id, "deleted");
        Assert.False(await probe.SchemaExistsAsync(ready.Id));
        Assert.False(await probe.RedisUserExistsAsync(ready.Id));
        Assert.Null(await client.GetServiceAsync(ready.Id));

        using var list = await platform.Api.GetAsync($"/api/deployments/{ready.Id}/scenarios");
        var items = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
        Assert.Equal(runId, Assert.Single(items.EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Without_cleanup_after_test_the_deployment_stays_ready_and_one_run_at_a_time_is_allowed()
    {
        var ready = await client.DeployReadyAsync();
        var first = await StartAsync(ready.Id, new { load = new { requests_per_second = 20, duration_seconds = 2, concurrency = 2 } });

        using var second = await platform.Api.PostAsJsonAsync($"/api/deployments/{ready.Id}/scenarios", new { });
        await AssertProblemAsync(second, HttpStatusCode.Conflict, "Scenario run in progress");

        var (run, _) = await WaitForCompletionAsync(ready.Id, first);
        Assert.Equal("passed", run.GetProperty("outcome").GetString());
        Assert.False(run.GetProperty("cleanup_after_test").GetBoolean());
        Assert.Equal("ready", (await client.GetAsync(ready.Id)).State);

        // An empty body asks for the default load; once the first run is over a second may start.
        using var empty = new HttpRequestMessage(HttpMethod.Post, $"/api/deployments/{ready.Id}/scenarios");
        using var again = await platform.Api.SendAsync(empty);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var defaults = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("load");
        Assert.Equal(ScenarioLoad.Default.RequestsPerSecond, defaults.GetProperty("requests_per_second").GetInt32());
        Assert.Equal(ScenarioLoad.Default.DurationSeconds, defaults.GetProperty("duration_seconds").GetInt32());
        Assert.Equal(ScenarioLoad.Default.Concurrency, defaults.GetProperty("concurrency").GetInt32());

        await client.DeleteAsync(ready.Id);
        await client.WaitForStateAsync(ready.Id, "deleted");
    }

    [Fact]
    public async Task Bad_scenario_requests_get_problem_details_and_start_nothing()
    {
        var before = await CountRunsAsync();

        using var unknown = await platform.Api.PostAsJsonAsync("/api/deployments/987654321/scenarios", new { });
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "Deployment not found");

        var ready = await client.DeployReadyAsync();
        using var tooMuch = await platform.Api.PostAsJsonAsync($"/api/deployments/{ready.Id}/scenarios",
            new { load = new { requests_per_second = ScenarioLoad.MaxRequestsPerSecond + 1, duration_seconds = 0, concurrency = 8 } });
        var problem = await AssertProblemAsync(tooMuch, HttpStatusCode.BadRequest, "Invalid scenario request");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("load.requests_per_second", out _));
        Assert.True(errors.TryGetProperty("load.duration_seconds", out _));
        Assert.False(errors.TryGetProperty("load.concurrency", out _));

        using var unknownField = await platform.Api.PostAsync($"/api/deployments/{ready.Id}/scenarios",
            new StringContent("""{"load":{"rps":10}}""", Encoding.UTF8, "application/json"));
        await AssertProblemAsync(unknownField, HttpStatusCode.BadRequest, "Malformed JSON");

        using var notJson = await platform.Api.PostAsync($"/api/deployments/{ready.Id}/scenarios",
            new StringContent("load=1", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);

        using var missingRun = await platform.Api.GetAsync($"/api/deployments/{ready.Id}/scenarios/987654321");
        await AssertProblemAsync(missingRun, HttpStatusCode.NotFound, "Scenario run not found");

        await client.DeleteAsync(ready.Id);
        using var notReady = await platform.Api.PostAsJsonAsync($"/api/deployments/{ready.Id}/scenarios", new { });
        var conflict = await AssertProblemAsync(notReady, HttpStatusCode.Conflict, "Deployment not ready");
        Assert.Contains(conflict.GetProperty("state").GetString(), new[] { "cleaning", "deleted" });

        Assert.Equal(before, await CountRunsAsync());
        await client.WaitForStateAsync(ready.Id, "deleted");
    }

    [Fact]
    public async Task A_completion_delivered_again_or_late_progress_changes_nothing()
    {
        var ready = await client.DeployReadyAsync();
        var runId = await StartAsync(ready.Id, new { load = new { requests_per_second = 10, duration_seconds = 1, concurrency = 1 } });
        var (run, _) = await WaitForCompletionAsync(ready.Id, runId);
        var report = run.GetProperty("report").GetRawText();

        await using var bus = await TestBus.StartAsync(platform.MessagingConnectionString);
        var now = DateTimeOffset.UtcNow;
        await bus.PublishAsync(new ScenarioRunProgressed(runId, ready.Id, "load", 1, 10, 0, 5, now));
        await bus.PublishAsync(new ScenarioRunCompleted(runId, ready.Id,
            new ScenarioReport(ScenarioReport.Failed, [new ScenarioCheckResult("forged", false, "late")], null, null, now, now),
            now));
        // A marker run's completion, published after the redelivered ones: once it is applied, they were too.
        var marker = await client.DeployReadyAsync();
        var markerRun = await StartAsync(marker.Id, new { load = new { requests_per_second = 10, duration_seconds = 1, concurrency = 1 } });
        await WaitForCompletionAsync(marker.Id, markerRun);

        var after = await GetRunAsync(ready.Id, runId);
        Assert.Equal(report, after.GetProperty("report").GetRawText());
        Assert.Equal("completed", after.GetProperty("progress").GetProperty("phase").GetString());
        Assert.Equal("ready", (await client.GetAsync(ready.Id)).State);

        foreach (var id in new[] { ready.Id, marker.Id })
        {
            await client.DeleteAsync(id);
            await client.WaitForStateAsync(id, "deleted");
        }
    }

    private async Task<long> StartAsync(long deploymentId, object body)
    {
        using var response = await platform.Api.PostAsJsonAsync($"/api/deployments/{deploymentId}/scenarios", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private async Task<JsonElement> GetRunAsync(long deploymentId, long runId) =>
        await platform.Api.GetFromJsonAsync<JsonElement>($"/api/deployments/{deploymentId}/scenarios/{runId}");

    /// <summary>Polls the run until it completes, noting every phase it was seen in on the way.</summary>
    private async Task<(JsonElement Run, List<string> Phases)> WaitForCompletionAsync(long deploymentId, long runId)
    {
        var phases = new List<string>();
        var deadline = DateTimeOffset.UtcNow + RunTimeout;
        while (true)
        {
            var run = await GetRunAsync(deploymentId, runId);
            phases.Add(run.GetProperty("progress").GetProperty("phase").GetString()!);
            if (run.GetProperty("state").GetString() == "completed")
            {
                return (run, phases);
            }

            Assert.True(DateTimeOffset.UtcNow < deadline,
                $"Scenario run {runId} did not complete within {RunTimeout}; it is {run}.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private async Task<long> CountRunsAsync()
    {
        await using var command = platform.PlatformDatabase.CreateCommand("SELECT count(*) FROM platform.scenario_runs");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status,
        string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(title, problem.GetProperty("title").GetString());
        return problem;
    }
}
