extern alias orchestrator;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using orchestrator::Sdp.Orchestrator.Api.Deployments;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Scenarios;

/// <summary>A run whose report never comes is closed as an error, and no longer holds its deployment.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AbandonedScenarioRunTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_run_without_a_report_long_past_its_duration_is_closed_as_error_and_frees_the_deployment()
    {
        var client = new PlatformClient(platform);
        var deployment = await client.DeployReadyAsync();

        // The deadline watcher makes a pass every minute on its own: while the test holds the pass's lock (once any
        // pass under way has finished), none can close the run before the test has seen it block the deployment.
        await using var passLock = await platform.PlatformDatabase.OpenConnectionAsync();
        await passLock.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = DeploymentDeadlineWatcher.WatcherLock });

        // What a Simulator that died for good with the run leaves: a run still "running", started an hour ago.
        long runId;
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync())
        {
            runId = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO platform.scenario_runs (deployment_id, tenant_id, problem_type, state, requests_per_second,
                                                    duration_seconds, concurrency, cleanup_after_test, created_at,
                                                    started_at, phase)
                VALUES (@id, @tenant, 'url_shortener', 'running', 10, 5, 1, false, now() - interval '1 hour',
                        now() - interval '1 hour', 'load')
                RETURNING id
                """, new { id = deployment.Id, tenant = platform.TenantId });
        }

        using (var blocked = await platform.Api.PostAsync($"/api/deployments/{deployment.Id}/scenarios", content: null))
        {
            Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        }

        // With the lock held, the operators' pass is skipped too: it says so and closes nothing.
        Assert.Equal(JsonValueKind.Null, (await DeadlineCheckAsync()).ValueKind);
        Assert.Equal("running", (await RunAsync(deployment.Id, runId)).GetProperty("state").GetString());
        await passLock.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = DeploymentDeadlineWatcher.WatcherLock });

        // Now a pass closes it: the operators' one, or the watcher's if that took the lock first.
        await DeadlineCheckAsync();
        var started = TimeProvider.System.GetTimestamp();
        while ((await RunAsync(deployment.Id, runId)).GetProperty("state").GetString() != "completed")
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30), "the abandoned run was not closed");
            await Task.Delay(50);
        }

        var run = await RunAsync(deployment.Id, runId);
        Assert.Equal("completed", run.GetProperty("state").GetString());
        Assert.Equal("error", run.GetProperty("outcome").GetString());
        Assert.Contains("abandoned", run.GetProperty("report").GetProperty("error").GetString(), StringComparison.Ordinal);

        // The deployment takes a new run again.
        using var next = await platform.Api.PostAsJsonAsync($"/api/deployments/{deployment.Id}/scenarios",
            new { load = new { requests_per_second = 5, duration_seconds = 1, concurrency = 1 } }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        await client.DeleteAsync(deployment.Id);
    }

    private async Task<JsonElement> DeadlineCheckAsync()
    {
        using var sweep = await platform.AdminApi.PostAsync("/api/admin/cleanup", content: null);
        Assert.Equal(HttpStatusCode.OK, sweep.StatusCode);
        return (await sweep.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deadline_check");
    }

    private Task<JsonElement> RunAsync(long deploymentId, long runId) =>
        platform.Api.GetFromJsonAsync<JsonElement>($"/api/deployments/{deploymentId}/scenarios/{runId}");
}
