using System.Net;
using System.Net.Http.Json;
using Dapper;
using Sdp.Resilience.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sdp.Resilience.Tests.Lifecycle;

/// <summary>
/// Time to live, the orphan reconciler, and deployments and standby slots that lost their Redis user or their service,
/// on the real platform.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class ExpiryAndOrphanTests(ResilienceFixture platform)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly PlatformApi api = new(platform);

    [Fact]
    public async Task A_deployment_gets_the_requested_ttl_or_the_default_and_an_excessive_ttl_is_refused()
    {
        var asked = await api.DeployAsync(ttlMinutes: 30);
        Assert.InRange(asked.ExpiresAt - asked.Timestamps.Queued, TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1),
            TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        var byDefault = await api.DeployAsync();
        Assert.InRange(byDefault.ExpiresAt - byDefault.Timestamps.Queued, TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1),
            TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));

        var before = await CountDeploymentsAsync();
        foreach (var ttl in new object[] { 0, -5, 24 * 60 + 1, "soon" })
        {
            using var response = await platform.Api.PostAsJsonAsync("/api/deployments",
                new { problem_type = "url_shortener", design_text = "x", ttl_minutes = ttl });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, await CountDeploymentsAsync());
        await api.DeleteAsync(asked.Id);
        await api.DeleteAsync(byDefault.Id);
    }

    [Fact]
    public async Task An_expired_deployment_is_cleaned_through_the_delete_path()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var deployment = await api.DeployAsync(ttlMinutes: 1);
        Assert.Equal("ready", (await api.WaitForAnyAsync(deployment.Id, PlatformApi.Final, deadline.Token))?.State);

        // Its minute is not waited out: the clock is moved by moving its expiry.
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE platform.deployments SET expires_at = now() - interval '1 second' WHERE id = @id",
                new { id = deployment.Id });
        }

        var gone = await api.WaitForAnyAsync(deployment.Id, ["deleted", "failed"], deadline.Token);
        Assert.Equal("deleted", gone?.State);
        Assert.Equal("expired", gone!.CleanupReason);
        Assert.NotNull(gone.Timestamps.Cleaning);
        Assert.Empty(await new LeftoverProbe(platform).FindAsync([deployment.Id]));
    }

    [Fact]
    public async Task Orphans_are_listed_without_being_removed_then_removed_by_the_sweep_and_counted_by_kind()
    {
        // Resources of a deployment Sdp has no record of, as a lost database or a half-run script would leave them.
        const long orphanId = 990_000_001;
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"CREATE ROLE candidate_{orphanId} NOLOGIN; CREATE SCHEMA candidate_{orphanId} AUTHORIZATION candidate_{orphanId};");
        }

        var redis = platform.Redis.GetDatabase();
        await redis.ExecuteAsync("ACL", "SETUSER", $"sub-{orphanId}", "off");
        await redis.StringSetAsync($"sub:{orphanId}:a", "1");
        await redis.StringSetAsync($"sub:{orphanId}:b", "2");

        var listed = await api.ListOrphansAsync();
        var mine = listed.Orphans.Where(o => o.DeploymentId == orphanId).Select(o => o.Kind).Order().ToList();
        Assert.Equal(["redis_keys", "redis_user", "role", "schema"], mine);
        Assert.All(listed.Orphans.Where(o => o.DeploymentId == orphanId), o => Assert.Null(o.DeploymentState));
        Assert.NotEmpty(await new LeftoverProbe(platform).FindAsync([orphanId]));

        var sweep = await api.RunCleanupAsync();
        Assert.True(sweep.Removed["schema"] >= 1 && sweep.Removed["role"] >= 1 && sweep.Removed["redis_user"] >= 1
                    && sweep.Removed["redis_keys"] >= 2, $"Removed: {string.Join(", ", sweep.Removed)}");
        Assert.Empty(await new LeftoverProbe(platform).FindAsync([orphanId]));
        Assert.DoesNotContain((await api.ListOrphansAsync()).Orphans, o => o.DeploymentId == orphanId);
    }

    [Fact]
    public async Task Resources_of_a_live_deployment_are_never_orphans()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var deployment = await api.DeployAsync();
        Assert.Equal("ready", (await api.WaitForAnyAsync(deployment.Id, PlatformApi.Final, deadline.Token))?.State);

        await api.RunCleanupAsync();

        // Schema, role, Redis user and service all still there.
        Assert.Equal(4, (await new LeftoverProbe(platform).FindAsync([deployment.Id])).Count(l => !l.StartsWith("redis key", StringComparison.Ordinal)));
        Assert.Equal("ready", (await api.GetAsync(deployment.Id)).State);
        await api.DeleteAsync(deployment.Id);
    }

    [Fact]
    public async Task A_ready_deployment_whose_Redis_user_vanished_fails_with_the_reason_and_is_removed()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var deployment = await api.DeployAsync();
        Assert.Equal("ready", (await api.WaitForAnyAsync(deployment.Id, PlatformApi.Final, deadline.Token))?.State);
        // Deployments ready for a few seconds only count (clock margin between services).
        await Task.Delay(TimeSpan.FromSeconds(6));

        // What a Redis restart without persistence does to it.
        await platform.Redis.GetDatabase().ExecuteAsync("ACL", "DELUSER", $"sub-{deployment.Id}");

        var failed = await api.WaitForAnyAsync(deployment.Id, ["failed"], deadline.Token);
        Assert.Equal("failed", failed?.State);
        Assert.Contains("Redis user vanished", failed!.Error);
        await WaitUntilAsync(async () => (await new LeftoverProbe(platform).FindAsync([deployment.Id])).Count == 0, deadline.Token,
            $"Resources of lost deployment {deployment.Id} were not removed.");
    }

    [Fact]
    public async Task A_ready_deployment_whose_service_was_deleted_fails_with_the_reason_and_is_removed()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var deployment = await api.DeployAsync();
        Assert.Equal("ready", (await api.WaitForAnyAsync(deployment.Id, PlatformApi.Final, deadline.Token))?.State);
        // Deployments ready for a few seconds only count (clock margin between services).
        await Task.Delay(TimeSpan.FromSeconds(6));

        // Behind the platform's back, through the Simulator's Cloud Run API.
        await DeleteServiceAsync(deployment.Id, deadline.Token);

        var failed = await api.WaitForAnyAsync(deployment.Id, ["failed"], deadline.Token);
        Assert.Equal("failed", failed?.State);
        Assert.Contains("Its service vanished", failed!.Error);
        Assert.DoesNotContain("Redis", failed.Error);
        Assert.EndsWith("Deploy again.", failed.Error);
        await WaitUntilAsync(async () => (await new LeftoverProbe(platform).FindAsync([deployment.Id])).Count == 0, deadline.Token,
            $"Resources of lost deployment {deployment.Id} were not removed.");
    }

    [Fact]
    public async Task A_standby_slot_whose_Redis_user_vanished_is_removed_and_replaced_and_never_handed_to_a_tenant()
    {
        // Long enough for a refill that waits for tenants' work of earlier tests to settle (Standby:YieldWindow).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await ResizeStandbyAsync(1);
            long lost = 0;
            await WaitUntilAsync(async () => (lost = await ReadySlotAsync() ?? 0) != 0, deadline.Token,
                "The standby slot was not built.");
            // Slots ready for a few seconds only count (clock margin between services).
            await Task.Delay(TimeSpan.FromSeconds(6));

            await platform.Redis.GetDatabase().ExecuteAsync("ACL", "DELUSER", $"sub-{lost}");

            // Removed with everything it had (not failed as anyone's deployment), and a replacement is built.
            await WaitUntilAsync(async () => await ReadySlotAsync() is { } slot && slot != lost, deadline.Token,
                $"Lost standby slot {lost} was not replaced by a ready one.");
            await WaitUntilAsync(async () => (await new LeftoverProbe(platform).FindAsync([lost])).Count == 0, deadline.Token,
                $"Resources of lost standby slot {lost} were not removed.");
            await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM platform.standby_deployments WHERE id = @lost", new { lost }));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM platform.deployments WHERE id = @lost", new { lost }));
        }
        finally
        {
            // The other tests here build every deployment on request.
            using var emptied = new CancellationTokenSource(Deadline);
            await ResizeStandbyAsync(0);
            await WaitUntilAsync(async () => await CountSlotsAsync() == 0, emptied.Token, "The standby pool did not empty.");
        }
    }

    private async Task DeleteServiceAsync(long id, CancellationToken deadline)
    {
        using var simulator = new HttpClient { BaseAddress = platform.SimulatorUrl };
        var service = $"/v2/projects/sdp-local/locations/local/services/sdp-sub-{id}";
        using (var deleted = await simulator.DeleteAsync(service, deadline))
        {
            deleted.EnsureSuccessStatusCode();
        }

        await WaitUntilAsync(async () =>
        {
            using var response = await simulator.GetAsync(service, deadline);
            return response.StatusCode == HttpStatusCode.NotFound;
        }, deadline, $"Service sdp-sub-{id} was not deleted.");
    }

    private async Task ResizeStandbyAsync(int size)
    {
        using var response = await platform.AdminApi.PutAsJsonAsync("/api/admin/standby/url_shortener", new { size });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The url_shortener pool's slot that is ready and answering, if there is one.</summary>
    private async Task<long?> ReadySlotAsync()
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<long?>("""
            SELECT id FROM platform.standby_deployments
            WHERE problem_type = 'url_shortener' AND state = 'ready' AND unanswered_since IS NULL
            ORDER BY id LIMIT 1
            """);
    }

    private async Task<long> CountSlotsAsync()
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM platform.standby_deployments");
    }

    private async Task<long> CountDeploymentsAsync()
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM platform.deployments");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken deadline, string failure)
    {
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail(failure);
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }
}
