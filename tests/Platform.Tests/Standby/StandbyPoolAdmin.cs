using System.Net;
using System.Net.Http.Json;
using Dapper;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Standby;

/// <summary>
/// What the standby tests do as an operator (size a pool, read the listing), look up in the platform's database (the
/// slots), and do behind the platform's back (delete a slot's service through the Simulator's Cloud Run API).
/// </summary>
public sealed class StandbyPoolAdmin(PlatformFixture platform)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly PlatformClient client = new(platform);

    public async Task ResizeAsync(string problemType, int size)
    {
        using var response = await platform.AdminApi.PutAsJsonAsync($"/api/admin/standby/{problemType}", new { size });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<PoolView> PoolAsync(string problemType)
    {
        var list = (await platform.AdminApi.GetFromJsonAsync<PoolListView>("/api/admin/standby", PlatformFixture.Json))!;
        return list.Pools.Single(p => p.ProblemType == problemType);
    }

    public async Task<PoolView> WaitForPoolAsync(string problemType, Func<PoolView, bool> done)
    {
        PoolView pool = null!;
        await WaitUntilAsync(async () => done(pool = await PoolAsync(problemType)), $"the {problemType} pool");
        return pool;
    }

    /// <summary>Sets the pool to 0 and waits until no slot of it is left in any state.</summary>
    public async Task EmptyAsync(string problemType)
    {
        await ResizeAsync(problemType, 0);
        await WaitForPoolAsync(problemType,
            pool => pool.Ready + pool.NotAnswering + pool.Provisioning + pool.Failed + pool.Removing == 0);
    }

    public async Task<List<long>> SlotIdsAsync(string problemType)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return (await connection.QueryAsync<long>(
            "SELECT id FROM platform.standby_deployments WHERE problem_type = @problemType ORDER BY id",
            new { problemType })).AsList();
    }

    /// <summary>Deletes the slot's (or deployment's) Cloud Run service as an outsider would, and waits until it is gone.</summary>
    public async Task DeleteServiceAsync(long id)
    {
        using (var simulator = new HttpClient { BaseAddress = platform.SimulatorUrl })
        using (var response = await simulator.DeleteAsync($"/v2/projects/sdp-local/locations/local/services/sdp-sub-{id}"))
        {
            response.EnsureSuccessStatusCode();
        }

        await WaitUntilAsync(async () => await client.GetServiceAsync(id) is null, $"service sdp-sub-{id} to be deleted");
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Gave up waiting for {what} after {Timeout}.");
            }
        }
    }

    public sealed record PoolListView(IReadOnlyList<PoolView> Pools);

    public sealed record PoolView(string ProblemType, int Size, int ConfiguredSize, int Ready, int NotAnswering,
        int Provisioning, int Failed, int Removing);
}
