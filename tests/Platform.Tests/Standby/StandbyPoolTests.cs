using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Standby;

/// <summary>
/// Standby pools: deployments built ahead of demand. A matching request claims one and is ready the moment it is
/// accepted; the pool is rebuilt; a request with settings is built on demand; shrinking a pool removes its slots;
/// the orphan sweep leaves slots alone. Every pool is back at 0 after each test.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class StandbyPoolTests(PlatformFixture platform) : IAsyncLifetime
{
    private static readonly TimeSpan PoolTimeout = TimeSpan.FromSeconds(60);

    private readonly PlatformClient client = new(platform);
    private readonly ResourceProbe probe = new(platform);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var problemType in (string[])["url_shortener", "rate_limiter"])
        {
            await ResizeAsync(problemType, 0);
            await WaitForPoolAsync(problemType, pool => pool.Ready + pool.Provisioning + pool.Failed + pool.Removing == 0);
        }
    }

    [Fact]
    public async Task A_request_claims_a_built_slot_is_ready_at_once_works_and_the_pool_is_rebuilt()
    {
        await ResizeAsync("url_shortener", 1);
        await WaitForPoolAsync("url_shortener", pool => pool.Ready == 1);
        var slot = Assert.Single(await SlotIdsAsync("url_shortener"));

        // Built, but nobody's yet: its resources exist, and no tenant sees it.
        Assert.NotNull(await client.GetServiceAsync(slot));
        Assert.True(await probe.SchemaExistsAsync(slot));
        Assert.True(await probe.RoleExistsAsync(slot));
        Assert.True(await probe.RedisUserExistsAsync(slot));
        using (var hidden = await platform.Api.GetAsync($"/api/deployments/{slot}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        // A deployment built on demand (it has settings) just before, so it is newer than the slot by id.
        var onDemand = await DeployRateLimiterWithSettingsAsync();

        var claimed = await client.DeployAsync(submissionId: "candidate-7/standby");
        Assert.Equal(slot, claimed.Id);
        Assert.Equal("ready", claimed.State);
        Assert.True(claimed.WarmStart);
        Assert.True(claimed.Success);
        Assert.Equal("candidate-7/standby", claimed.SubmissionId);
        Assert.Equal(0, claimed.DeploymentTimeSeconds);
        Assert.Equal(claimed.Timestamps.Queued, claimed.Timestamps.Ready);
        Assert.Equal($"candidate_{slot}", claimed.Resources.DatabaseSchema);
        Assert.NotNull(claimed.EndpointUrl);

        // The candidate's service works as one built on request.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(claimed.EndpointUrl),
        };
        using var created = await http.PostAsJsonAsync("/api/urls", new { url = "https://example.com/standby" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var code = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
        using var redirect = await http.GetAsync($"/{code}");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);

        // Newest first is by creation: the claimed slot (older id) leads the list.
        var first = (await platform.Api.GetFromJsonAsync<DeploymentPageView>("/api/deployments?limit=1",
            PlatformFixture.Json))!;
        Assert.Equal(claimed.Id, Assert.Single(first.Items).Id);
        var second = (await platform.Api.GetFromJsonAsync<DeploymentPageView>(
            $"/api/deployments?limit=1&cursor={first.NextCursor}", PlatformFixture.Json))!;
        Assert.Equal(onDemand.Id, Assert.Single(second.Items).Id);

        // The pool builds a replacement.
        var rebuilt = await WaitForPoolAsync("url_shortener", pool => pool.Ready == 1);
        Assert.Equal(1, rebuilt.Size);
        Assert.DoesNotContain(slot, await SlotIdsAsync("url_shortener"));

        // Operators see the start and the pool in the metrics (the slot gauge refreshes every 5 s).
        using var metrics = new HttpClient { BaseAddress = platform.ApiUrl };
        var text = await metrics.GetStringAsync("/metrics");
        Assert.Matches("""sdp_deployments_accepted_total\{[^}]*problem_type="url_shortener"[^}]*start="warm"[^}]*\} [1-9]""", text);
        Assert.Matches("""sdp_deployments_accepted_total\{[^}]*problem_type="rate_limiter"[^}]*start="cold"[^}]*\} [1-9]""", text);
        await WaitUntilAsync(async () => System.Text.RegularExpressions.Regex.IsMatch(
                await metrics.GetStringAsync("/metrics"),
                """sdp_standby_slots\{[^}]*problem_type="url_shortener"[^}]*state="ready"[^}]*\} 1\b"""),
            "the slot gauge to show the rebuilt slot");

        // Deleting a claimed slot removes every trace, as for any deployment.
        await client.DeleteAsync(claimed.Id);
        await client.WaitForStateAsync(claimed.Id, "deleted");
        Assert.Null(await client.GetServiceAsync(slot));
        Assert.False(await probe.SchemaExistsAsync(slot));
        Assert.False(await probe.RoleExistsAsync(slot));
        Assert.False(await probe.RedisUserExistsAsync(slot));
        Assert.Equal(0, await probe.RedisKeyCountAsync(slot));

        await client.DeleteAsync(onDemand.Id);
        await client.WaitForStateAsync(onDemand.Id, "deleted");
    }

    [Fact]
    public async Task A_request_with_settings_is_built_on_demand_and_leaves_the_pool_alone()
    {
        await ResizeAsync("rate_limiter", 1);
        await WaitForPoolAsync("rate_limiter", pool => pool.Ready == 1);
        var slot = Assert.Single(await SlotIdsAsync("rate_limiter"));

        var onDemand = await DeployRateLimiterWithSettingsAsync();
        Assert.False(onDemand.WarmStart);
        Assert.NotEqual(slot, onDemand.Id);
        Assert.Equal([slot], await SlotIdsAsync("rate_limiter"));

        // Without settings, the same template is served from the pool.
        var claimed = await client.DeployAsync(problemType: "rate_limiter");
        Assert.Equal(slot, claimed.Id);
        Assert.True(claimed.WarmStart);

        foreach (var id in (long[])[onDemand.Id, claimed.Id])
        {
            await client.DeleteAsync(id);
            await client.WaitForStateAsync(id, "deleted");
        }
    }

    [Fact]
    public async Task Shrinking_a_pool_removes_its_slots_and_everything_they_had()
    {
        await ResizeAsync("url_shortener", 2);
        await WaitForPoolAsync("url_shortener", pool => pool.Ready == 2);
        var slots = await SlotIdsAsync("url_shortener");
        Assert.Equal(2, slots.Count);

        await ResizeAsync("url_shortener", 0);
        await WaitForPoolAsync("url_shortener", pool => pool.Ready + pool.Provisioning == 0);
        // A removed slot's row goes once its cleanup has reported back.
        await WaitForPoolAsync("url_shortener", pool => pool.Removing == 0);
        Assert.Empty(await SlotIdsAsync("url_shortener"));

        foreach (var slot in slots)
        {
            await WaitUntilAsync(async () => await client.GetServiceAsync(slot) is null
                                             && !await probe.SchemaExistsAsync(slot)
                                             && !await probe.RoleExistsAsync(slot)
                                             && !await probe.RedisUserExistsAsync(slot),
                $"slot {slot}'s resources to be removed");
        }
    }

    [Fact]
    public async Task The_orphan_sweep_leaves_standby_slots_alone()
    {
        await ResizeAsync("url_shortener", 1);
        await WaitForPoolAsync("url_shortener", pool => pool.Ready == 1);
        var slot = Assert.Single(await SlotIdsAsync("url_shortener"));

        using var sweep = await platform.AdminApi.PostAsync("/api/admin/cleanup", content: null);
        Assert.Equal(HttpStatusCode.OK, sweep.StatusCode);

        Assert.Equal([slot], await SlotIdsAsync("url_shortener"));
        Assert.NotNull(await client.GetServiceAsync(slot));
        Assert.True(await probe.SchemaExistsAsync(slot));
        Assert.True(await probe.RedisUserExistsAsync(slot));
    }

    [Fact]
    public async Task A_slot_that_fails_to_build_is_replaced_and_leaves_nothing()
    {
        using var simulator = new HttpClient { BaseAddress = platform.SimulatorUrl };
        (await simulator.PostAsJsonAsync("/simulator/faults", new { operationErrorCount = 1 })).EnsureSuccessStatusCode();
        try
        {
            await ResizeAsync("url_shortener", 1);
            var failed = await WaitForSlotAsync("failed");
            var ready = await WaitForPoolAsync("url_shortener",
                pool => pool.Ready == 1 && pool.Failed == 0 && pool.Removing == 0);
            Assert.Equal(1, ready.Ready);
            Assert.DoesNotContain(failed, await SlotIdsAsync("url_shortener"));
            await WaitUntilAsync(async () => await client.GetServiceAsync(failed) is null
                                             && !await probe.SchemaExistsAsync(failed)
                                             && !await probe.RedisUserExistsAsync(failed),
                $"failed slot {failed}'s resources to be removed");
        }
        finally
        {
            (await simulator.DeleteAsync("/simulator/faults")).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Resizing_needs_an_admin_a_template_and_a_size_in_range_and_a_refusal_changes_nothing()
    {
        var before = await PoolAsync("url_shortener");

        using (var tenant = await platform.Api.PutAsJsonAsync("/api/admin/standby/url_shortener", new { size = 3 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, tenant.StatusCode);
        }

        await AssertProblemAsync("/api/admin/standby/chess_engine", """{"size": 1}""", HttpStatusCode.NotFound,
            "url_shortener");
        await AssertProblemAsync("/api/admin/standby/url_shortener", """{"size": -1}""", HttpStatusCode.BadRequest,
            "from 0 to 1000");
        await AssertProblemAsync("/api/admin/standby/url_shortener", """{"size": 1001}""", HttpStatusCode.BadRequest,
            "from 0 to 1000");
        await AssertProblemAsync("/api/admin/standby/url_shortener", """{}""", HttpStatusCode.BadRequest,
            "from 0 to 1000");
        await AssertProblemAsync("/api/admin/standby/url_shortener", """{"size": """, HttpStatusCode.BadRequest, null);

        var after = await PoolAsync("url_shortener");
        Assert.Equal(before.Size, after.Size);
        Assert.Empty(await SlotIdsAsync("url_shortener"));
    }

    private async Task AssertProblemAsync(string path, string body, HttpStatusCode status, string? mentions)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await platform.AdminApi.PutAsync(path, content);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (mentions is not null)
        {
            Assert.Contains(mentions, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task<DeploymentView> DeployRateLimiterWithSettingsAsync()
    {
        using var response = await platform.Api.PostAsJsonAsync("/api/deployments", new
        {
            problem_type = "rate_limiter",
            design_text = "Token buckets in Redis.",
            settings = new Dictionary<string, object> { ["RATE_LIMITER_DEFAULT_LIMIT"] = 5 },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<DeploymentView>(PlatformFixture.Json))!;
        Assert.Equal("queued", accepted.State);
        Assert.False(accepted.WarmStart);
        return await client.WaitForStateAsync(accepted.Id, "ready");
    }

    private async Task ResizeAsync(string problemType, int size)
    {
        using var response = await platform.AdminApi.PutAsJsonAsync($"/api/admin/standby/{problemType}", new { size });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pool = (await response.Content.ReadFromJsonAsync<PoolView>(PlatformFixture.Json))!;
        Assert.Equal(size, pool.Size);
    }

    private async Task<PoolView> PoolAsync(string problemType)
    {
        var list = (await platform.AdminApi.GetFromJsonAsync<PoolListView>("/api/admin/standby", PlatformFixture.Json))!;
        return list.Pools.Single(p => p.ProblemType == problemType);
    }

    private async Task<PoolView> WaitForPoolAsync(string problemType, Func<PoolView, bool> done)
    {
        PoolView pool = null!;
        await WaitUntilAsync(async () => done(pool = await PoolAsync(problemType)), $"the {problemType} pool");
        return pool;
    }

    private async Task<long> WaitForSlotAsync(string state)
    {
        long? id = null;
        await WaitUntilAsync(async () =>
        {
            await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
            id = await connection.QuerySingleOrDefaultAsync<long?>(
                "SELECT id FROM platform.standby_deployments WHERE state = @state", new { state });
            return id is not null;
        }, $"a {state} slot");
        return id!.Value;
    }

    private async Task<List<long>> SlotIdsAsync(string problemType)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return (await connection.QueryAsync<long>(
            "SELECT id FROM platform.standby_deployments WHERE problem_type = @problemType ORDER BY id",
            new { problemType })).AsList();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(PoolTimeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Gave up waiting for {what} after {PoolTimeout}.");
            }
        }
    }

    private sealed record PoolListView(IReadOnlyList<PoolView> Pools);

    private sealed record PoolView(string ProblemType, int Size, int ConfiguredSize, int Ready, int Provisioning,
        int Failed, int Removing);
}
