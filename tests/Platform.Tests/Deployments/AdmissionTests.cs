using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Deployments;

/// <summary>At capacity (Admission:WhenFull=Refuse) a new deployment gets 503 with Retry-After and nothing is saved.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AdmissionTests(PlatformFixture platform)
{
    [Fact]
    public async Task At_capacity_a_deployment_is_refused_with_503_and_retry_after_and_accepted_once_room_is_freed()
    {
        // Fill the remaining capacity with rows standing for other live deployments.
        var fillers = await FillToCapacityAsync();
        try
        {
            var before = await CountAsync("SELECT count(*) FROM platform.deployments");
            var outboxBefore = await CountAsync("SELECT count(*) FROM platform.outbox");

            using var refused = await platform.Api.PostAsJsonAsync("/api/deployments",
                new { problem_type = "url_shortener", design_text = "one too many" });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Deployment capacity reached", problem.GetProperty("title").GetString());
            Assert.Equal(PlatformFixture.MaxLiveDeployments, problem.GetProperty("max_live_deployments").GetInt32());
            Assert.Equal(before, await CountAsync("SELECT count(*) FROM platform.deployments"));
            Assert.Equal(outboxBefore, await CountAsync("SELECT count(*) FROM platform.outbox"));
        }
        finally
        {
            await using var delete = platform.PlatformDatabase.CreateCommand(
                "DELETE FROM platform.deployments WHERE id = ANY(@ids)");
            delete.Parameters.AddWithValue("ids", fillers);
            await delete.ExecuteNonQueryAsync();
        }

        var client = new PlatformClient(platform);
        var accepted = await client.DeployAsync();
        await client.WaitForStateAsync(accepted.Id, "ready");
        await client.DeleteAsync(accepted.Id);
        await client.WaitForStateAsync(accepted.Id, "deleted");
    }

    private async Task<long[]> FillToCapacityAsync()
    {
        await using var command = platform.PlatformDatabase.CreateCommand("""
            INSERT INTO platform.deployments (tenant_id, problem_type, design_text, state, created_at, queued_at, ready_at, updated_at)
            SELECT @tenant, 'url_shortener', 'capacity filler', 'ready', now(), now(), now(), now()
            FROM generate_series(1, @max - (SELECT count(*) FROM platform.deployments
                                            WHERE state IN ('queued', 'provisioning', 'ready', 'cleaning')))
            RETURNING id
            """);
        command.Parameters.AddWithValue("max", (long)PlatformFixture.MaxLiveDeployments);
        command.Parameters.AddWithValue("tenant", platform.TenantId);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return [.. ids];
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = platform.PlatformDatabase.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
