using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Tenancy;

/// <summary>A tenant at one of its quotas gets 429 saying which quota and when it frees, and nothing is created.</summary>
[Collection(PlatformCollection.Name)]
public sealed class TenantQuotaTests(PlatformFixture platform)
{
    private readonly ResourceProbe probe = new(platform);

    [Fact]
    public async Task Live_deployments_over_quota_get_429_until_one_is_deleted()
    {
        var (tenantId, api) = await platform.NewTenantAsync("quota-live", new { max_live_deployments = 2 });
        using var _ = api;
        var client = new PlatformClient(platform, api);
        var first = await client.DeployAsync();
        await client.DeployAsync();

        var before = await CountAsync(tenantId);
        using var refused = await DeployAsync(api);
        var problem = await AssertQuotaProblemAsync(refused, "live_deployments", 2);
        // Room frees when the earliest of the two expires (or sooner, when one is deleted).
        Assert.Equal(JsonValueKind.String, problem.GetProperty("frees_at").ValueKind);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal(before, await CountAsync(tenantId));

        await client.DeleteAsync(first.Id);
        await client.WaitForStateAsync(first.Id, "deleted");
        using var accepted = await DeployAsync(api);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task Concurrent_requests_cannot_overrun_the_live_quota()
    {
        const int Quota = 3;
        var (tenantId, api) = await platform.NewTenantAsync("quota-race", new { max_live_deployments = Quota });
        using var _ = api;

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => DeployAsync(api)));
        Assert.Equal(Quota, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(10 - Quota, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(Quota, await CountAsync(tenantId));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Deployments_per_hour_over_quota_get_429_with_when_the_hour_frees()
    {
        var (tenantId, api) = await platform.NewTenantAsync("quota-hour", new { max_deployments_per_hour = 2 });
        using var _ = api;
        var client = new PlatformClient(platform, api);
        var first = await client.DeployAsync();
        var second = await client.DeployAsync();
        // Deleting does not give back the hour's allowance.
        await client.DeleteAsync(first.Id);
        await client.DeleteAsync(second.Id);

        using var refused = await DeployAsync(api);
        var problem = await AssertQuotaProblemAsync(refused, "deployments_per_hour", 2);
        var freesAt = problem.GetProperty("frees_at").GetDateTimeOffset();
        Assert.InRange(freesAt, first.Timestamps.Queued.AddHours(1).AddSeconds(-1), first.Timestamps.Queued.AddHours(1).AddSeconds(1));
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(60));
        Assert.Equal(2, await CountAsync(tenantId));
    }

    [Fact]
    public async Task Scenario_runs_in_flight_over_quota_get_429()
    {
        var (tenantId, api) = await platform.NewTenantAsync("quota-runs", new { max_scenario_runs_in_flight = 1 });
        using var _ = api;
        var client = new PlatformClient(platform, api);
        var first = await client.WaitForStateAsync((await client.DeployAsync()).Id, "ready");
        var second = await client.WaitForStateAsync((await client.DeployAsync()).Id, "ready");

        using var running = await api.PostAsJsonAsync($"/api/deployments/{first.Id}/scenarios",
            new { load = new { requests_per_second = 5, duration_seconds = 20, concurrency = 1 } }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);

        using var refused = await api.PostAsJsonAsync($"/api/deployments/{second.Id}/scenarios",
            new { load = new { requests_per_second = 5, duration_seconds = 1, concurrency = 1 } }, PlatformFixture.Json);
        var problem = await AssertQuotaProblemAsync(refused, "scenario_runs_in_flight", 1);
        Assert.Equal(JsonValueKind.String, problem.GetProperty("frees_at").ValueKind);
        Assert.Equal(1, await probe.CountAsync($"SELECT count(*) FROM platform.scenario_runs WHERE tenant_id = '{tenantId}'"));

        await client.DeleteAsync(first.Id);
        await client.DeleteAsync(second.Id);
    }

    [Fact]
    public async Task A_tenant_without_its_own_quotas_follows_the_defaults_and_an_admin_can_change_them()
    {
        var (tenantId, api) = await platform.NewTenantAsync("quota-defaults", new { });
        using var _ = api;
        var tenant = await platform.AdminApi.GetFromJsonAsync<JsonElement>($"/api/admin/tenants/{tenantId}");
        Assert.Equal(50, tenant.GetProperty("quotas").GetProperty("max_live_deployments").GetInt32());
        Assert.Equal(JsonValueKind.Null, tenant.GetProperty("quota_overrides").GetProperty("max_live_deployments").ValueKind);

        using var set = await platform.AdminApi.PutAsJsonAsync($"/api/admin/tenants/{tenantId}/quotas",
            new { max_live_deployments = 1 }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(1, (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quotas").GetProperty("max_live_deployments").GetInt32());

        using var accepted = await DeployAsync(api);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using var refused = await DeployAsync(api);
        await AssertQuotaProblemAsync(refused, "live_deployments", 1);
    }

    [Fact]
    public async Task A_tenant_sees_its_own_quotas_and_usage()
    {
        var (tenantId, api) = await platform.NewTenantAsync("quota-usage", new { max_live_deployments = 5 });
        using var _ = api;
        var client = new PlatformClient(platform, api);
        var first = await client.DeployAsync();
        await client.DeployAsync();
        await client.DeleteAsync(first.Id);
        await client.WaitForStateAsync(first.Id, "deleted");

        var own = await api.GetFromJsonAsync<JsonElement>("/api/tenant");
        Assert.Equal(tenantId, own.GetProperty("id").GetGuid());
        Assert.Equal(5, own.GetProperty("quotas").GetProperty("max_live_deployments").GetInt32());
        var usage = own.GetProperty("usage");
        Assert.Equal(1, usage.GetProperty("live_deployments").GetInt64());
        Assert.Equal(2, usage.GetProperty("deployments_last_hour").GetInt64());
        Assert.Equal(0, usage.GetProperty("scenario_runs_in_flight").GetInt64());

        var seenByAdmin = await platform.AdminApi.GetFromJsonAsync<JsonElement>($"/api/admin/tenants/{tenantId}");
        Assert.Equal(usage.GetRawText(), seenByAdmin.GetProperty("usage").GetRawText());

        using var forAdmin = await platform.AdminApi.GetAsync("/api/tenant");
        Assert.Equal(HttpStatusCode.Forbidden, forAdmin.StatusCode);
    }

    private static Task<HttpResponseMessage> DeployAsync(HttpClient api) => api.PostAsJsonAsync("/api/deployments",
        new { problem_type = "url_shortener", design_text = "Base62 codes." }, PlatformFixture.Json);

    private static async Task<JsonElement> AssertQuotaProblemAsync(HttpResponseMessage response, string quota, int limit)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(quota, problem.GetProperty("quota").GetString());
        Assert.Equal(limit, problem.GetProperty("limit").GetInt32());
        Assert.Contains(quota.Replace('_', ' '), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }

    private Task<long> CountAsync(Guid tenantId) =>
        probe.CountAsync($"SELECT count(*) FROM platform.deployments WHERE tenant_id = '{tenantId}'");
}
