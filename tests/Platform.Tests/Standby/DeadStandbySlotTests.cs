using Dapper;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Standby;

/// <summary>
/// Standby slots whose service no longer answers (deleted behind the platform's back, as a restart that did not bring
/// it back leaves it): never handed out, not counted as ready, and replaced once the prober gives up on them. The
/// fixture has the prober ask every second and give a silent slot <see cref="PlatformFixture.StandbyDeadAfter"/>.
/// Every pool is back at 0 after each test.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DeadStandbySlotTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string UrlShortener = "url_shortener";

    private readonly PlatformClient client = new(platform);
    private readonly ResourceProbe probe = new(platform);
    private readonly StandbyPoolAdmin pools = new(platform);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => pools.EmptyAsync(UrlShortener);

    [Fact]
    public async Task Slots_whose_service_was_deleted_are_never_handed_out_nor_counted_as_ready_and_a_deploy_still_answers()
    {
        await pools.ResizeAsync(UrlShortener, 2);
        await pools.WaitForPoolAsync(UrlShortener, pool => pool.Ready == 2);
        var dead = await pools.SlotIdsAsync(UrlShortener);
        Assert.Equal(2, dead.Count);
        foreach (var slot in dead)
        {
            await pools.DeleteServiceAsync(slot);
        }

        // Built on request instead: the claim found each slot silent (or the prober had already marked it).
        var accepted = await client.DeployAsync(submissionId: "candidate-9/dead-slots");
        Assert.DoesNotContain(accepted.Id, dead);
        Assert.False(accepted.WarmStart);
        Assert.Equal("queued", accepted.State);

        // The listing does not count them as ready; they keep their places (so the pool is not overbuilt) until the
        // prober gives up on them, seconds from now.
        var pool = await pools.PoolAsync(UrlShortener);
        Assert.Equal(0, pool.Ready);
        Assert.Equal(2, pool.NotAnswering);

        // Neither was handed out, nor lost: both are still slots, marked as not answering, and no one's deployment.
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync())
        {
            Assert.Equal(2, await connection.ExecuteScalarAsync<long>("""
                SELECT count(*) FROM platform.standby_deployments
                WHERE id = ANY(@dead) AND state = 'ready' AND unanswered_since IS NOT NULL
                """, new { dead = dead.ToArray() }));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM platform.deployments WHERE id = ANY(@dead)", new { dead = dead.ToArray() }));
        }

        // And what the tenant got answers.
        var ready = await client.WaitForStateAsync(accepted.Id, "ready");
        using (var http = new HttpClient())
        using (var health = await http.GetAsync(new Uri(new Uri(ready.EndpointUrl!), "/health")))
        {
            health.EnsureSuccessStatusCode();
        }

        await client.DeleteAsync(ready.Id);
        await client.WaitForStateAsync(ready.Id, "deleted");
    }

    [Fact]
    public async Task A_dead_slot_is_removed_with_everything_it_had_and_the_pool_is_refilled_with_a_slot_that_answers()
    {
        await pools.ResizeAsync(UrlShortener, 1);
        await pools.WaitForPoolAsync(UrlShortener, pool => pool.Ready == 1);
        var dead = Assert.Single(await pools.SlotIdsAsync(UrlShortener));
        await pools.DeleteServiceAsync(dead);

        // The prober finds it silent, gives it StandbyDeadAfter, removes it; the refiller builds a replacement.
        await StandbyPoolAdmin.WaitUntilAsync(async () =>
        {
            var pool = await pools.PoolAsync(UrlShortener);
            return pool is { Ready: 1, NotAnswering: 0, Removing: 0 }
                   && !(await pools.SlotIdsAsync(UrlShortener)).Contains(dead);
        }, $"dead slot {dead} to be replaced by a slot that answers");
        var replacement = Assert.Single(await pools.SlotIdsAsync(UrlShortener));
        Assert.NotEqual(dead, replacement);

        await StandbyPoolAdmin.WaitUntilAsync(async () => !await probe.SchemaExistsAsync(dead)
                                                          && !await probe.RoleExistsAsync(dead)
                                                          && !await probe.RedisUserExistsAsync(dead),
            $"dead slot {dead}'s resources to be removed");

        // The replacement answers, so a request claims it.
        var claimed = await client.DeployAsync();
        Assert.Equal(replacement, claimed.Id);
        Assert.True(claimed.WarmStart);
        Assert.Equal("ready", claimed.State);
        using (var http = new HttpClient())
        using (var health = await http.GetAsync(new Uri(new Uri(claimed.EndpointUrl!), "/health")))
        {
            health.EnsureSuccessStatusCode();
        }

        await client.DeleteAsync(claimed.Id);
        await client.WaitForStateAsync(claimed.Id, "deleted");
    }
}
