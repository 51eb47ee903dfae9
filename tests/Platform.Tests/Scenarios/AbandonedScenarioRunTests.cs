using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
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

        using var sweep = await platform.AdminApi.PostAsync("/api/admin/cleanup", content: null);
        Assert.Equal(HttpStatusCode.OK, sweep.StatusCode);
        var check = (await sweep.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deadline_check");
        Assert.True(check.GetProperty("abandoned_scenario_runs").GetInt32() >= 1);

        var run = await platform.Api.GetFromJsonAsync<JsonElement>($"/api/deployments/{deployment.Id}/scenarios/{runId}");
        Assert.Equal("completed", run.GetProperty("state").GetString());
        Assert.Equal("error", run.GetProperty("outcome").GetString());
        Assert.Contains("abandoned", run.GetProperty("report").GetProperty("error").GetString(), StringComparison.Ordinal);

        // The deployment takes a new run again.
        using var next = await platform.Api.PostAsJsonAsync($"/api/deployments/{deployment.Id}/scenarios",
            new { load = new { requests_per_second = 5, duration_seconds = 1, concurrency = 1 } }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        await client.DeleteAsync(deployment.Id);
    }
}
