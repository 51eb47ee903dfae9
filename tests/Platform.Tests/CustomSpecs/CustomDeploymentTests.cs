using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Sdp.Platform.Tests.Infrastructure;
using Sdp.Testing;

namespace Sdp.Platform.Tests.CustomSpecs;

/// <summary>
/// Designs with no template: a spec given directly deploys as given and serves CRUD; an invalid one is refused with
/// nothing created; a spec the (stand-in) model generates deploys the same way, once per design; a model's failure
/// ends the deployment failed with its reason.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CustomDeploymentTests(PlatformFixture platform)
{
    private readonly PlatformClient client = new(platform);
    private readonly ResourceProbe probe = new(platform);

    private const string NotesSpec = """
        {"resources": [{"name": "notes",
                        "fields": [{"name": "title", "type": "string", "required": true, "indexed": true, "max_length": 100},
                                   {"name": "stars", "type": "integer"}],
                        "cache": {"ttl_seconds": 30}}]}
        """;

    private async Task<DeploymentView> PostAsync(object body, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var response = await platform.Api.PostAsJsonAsync("/api/deployments", body);
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DeploymentView>(PlatformFixture.Json))!;
    }

    [Fact]
    public async Task A_given_spec_deploys_ready_and_its_endpoint_answers_crud_on_its_resource()
    {
        using var schema = await platform.Api.GetAsync("/api/templates/custom/schema");
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
        Assert.Equal("application/schema+json", schema.Content.Headers.ContentType?.MediaType);

        var accepted = await PostAsync(new
        {
            problem_type = "custom",
            design_text = "Notes with titles and stars.",
            service_spec = JsonDocument.Parse(NotesSpec).RootElement,
        });
        Assert.Equal("queued", accepted.State);
        Assert.False(accepted.Generated);
        Assert.Equal("notes", accepted.ServiceSpec!.Value.GetProperty("resources")[0].GetProperty("name").GetString());

        var ready = await client.WaitForStateAsync(accepted.Id, "ready");
        using var service = new HttpClient { BaseAddress = new Uri(ready.EndpointUrl!) };

        using var created = await service.PostAsJsonAsync("/api/notes", new { title = "first", stars = 3 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetRawText().Trim('"');

        var read = await service.GetFromJsonAsync<JsonElement>($"/api/notes/{id}");
        Assert.Equal("first", read.GetProperty("title").GetString());

        using var updated = await service.PutAsJsonAsync($"/api/notes/{id}", new { title = "second", stars = 5 });
        Assert.True(updated.IsSuccessStatusCode, $"PUT answered {updated.StatusCode}");
        Assert.Equal(5, (await service.GetFromJsonAsync<JsonElement>($"/api/notes/{id}")).GetProperty("stars").GetInt32());

        using var invalid = await service.PostAsJsonAsync("/api/notes", new { stars = "many" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        using var deleted = await service.DeleteAsync($"/api/notes/{id}");
        Assert.True(deleted.IsSuccessStatusCode, $"DELETE answered {deleted.StatusCode}");
        using var gone = await service.GetAsync($"/api/notes/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        await client.DeleteAsync(ready.Id);
    }

    [Fact]
    public async Task An_invalid_spec_answers_400_naming_each_violation_and_creates_nothing()
    {
        var deploymentsBefore = await probe.CountAsync("SELECT count(*) FROM platform.deployments");
        var outboxBefore = await probe.CountAsync("SELECT count(*) FROM platform.outbox");

        using var response = await platform.Api.PostAsJsonAsync("/api/deployments", new
        {
            problem_type = "custom",
            design_text = "x",
            service_spec = JsonDocument.Parse("""
                {"resources": [{"name": "../../etc/passwd", "fields": [{"name": "a", "type": "integer); DROP TABLE t; --"}]}]}
                """).RootElement,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var paths = problem.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("path").GetString()).ToList();
        Assert.Contains("/resources/0/name", paths);
        Assert.Contains("/resources/0/fields/0/type", paths);
        Assert.Equal(deploymentsBefore, await probe.CountAsync("SELECT count(*) FROM platform.deployments"));
        Assert.Equal(outboxBefore, await probe.CountAsync("SELECT count(*) FROM platform.outbox"));
    }

    [Fact]
    public async Task A_generated_spec_deploys_ready_with_generated_true_and_its_usage_and_the_same_design_asks_the_model_once()
    {
        var design = $"A chat system: users, rooms and messages, {Guid.NewGuid():N}.";

        var accepted = await PostAsync(new { problem_type = "chat_system", design_text = design });
        Assert.Equal("generating", accepted.State);
        Assert.True(accepted.Generated);

        var ready = await client.WaitForStateAsync(accepted.Id, "ready");
        Assert.Equal("chat_system", ready.ProblemType);
        Assert.True(ready.Generated);
        Assert.Equal(["users", "rooms", "messages"],
            ready.ServiceSpec!.Value.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        var usage = ready.Generation!;
        Assert.False(usage.Cached);
        Assert.True(usage.InputTokens > 0 && usage.OutputTokens > 0, $"{usage}");
        Assert.True(usage.DurationMs > 0);
        using var service = new HttpClient { BaseAddress = new Uri(ready.EndpointUrl!) };
        using var created = await service.PostAsJsonAsync("/api/rooms", new { title = "general" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var again = await client.WaitForStateAsync((await PostAsync(new { problem_type = "chat_system", design_text = design })).Id, "ready");
        Assert.True(again.Generation!.Cached);
        Assert.Equal(0, again.Generation.InputTokens);
        Assert.Equal(1, platform.Model.RequestsMentioning(design));

        // Its scenario is the custom one, run over its own spec although its problem type is the candidate's.
        using var run = await platform.Api.PostAsJsonAsync($"/api/deployments/{again.Id}/scenarios", new
        {
            load = new { requests_per_second = 20, duration_seconds = 1, concurrency = 2 },
        });
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        var report = await WaitForReportAsync(again.Id, (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        Assert.True(report.GetProperty("outcome").GetString() == "passed", report.ToString());

        await client.DeleteAsync(ready.Id);
        await client.DeleteAsync(again.Id);
    }

    private async Task<JsonElement> WaitForReportAsync(long deploymentId, long runId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var run = await platform.Api.GetFromJsonAsync<JsonElement>(
                $"/api/deployments/{deploymentId}/scenarios/{runId}", timeout.Token);
            if (run.GetProperty("state").GetString() == "completed")
            {
                return run;
            }

            await Task.Delay(250, timeout.Token);
        }
    }

    [Fact]
    public async Task A_model_failure_ends_the_deployment_failed_with_a_reason_and_nothing_built()
    {
        var accepted = await PostAsync(new
        {
            problem_type = "news_feed",
            design_text = $"A news feed {StandInModel.Behaviour.ServerError} {Guid.NewGuid():N}",
        });

        var failed = await WaitForFailureAsync(accepted.Id);

        Assert.Contains("HTTP 500", failed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(platform.Model.ApiKey, failed.Error, StringComparison.Ordinal);
        Assert.False(await probe.SchemaExistsAsync(failed.Id));
        Assert.Null(await client.GetServiceAsync(failed.Id));
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        Assert.False(await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT FROM platform.outbox WHERE message_type LIKE '%DeploymentRequested' AND (payload->>'DeploymentId')::bigint = @id)",
            new { id = failed.Id }));
    }

    private async Task<DeploymentView> WaitForFailureAsync(long id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var deployment = (await platform.Api.GetFromJsonAsync<DeploymentView>(
                $"/api/deployments/{id}?wait_for=failed&timeout_seconds=10", PlatformFixture.Json, timeout.Token))!;
            if (deployment.State == "failed")
            {
                return deployment;
            }

            Assert.Equal("generating", deployment.State);
        }
    }
}
