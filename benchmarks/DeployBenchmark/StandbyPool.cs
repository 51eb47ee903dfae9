using System.Net.Http.Json;

namespace Sdp.DeployBenchmark;

/// <summary>The benchmarked template's standby pool, through the admin API: resize it, and wait until it is full.</summary>
public sealed class StandbyPool(HttpClient admin, string problemType)
{
    private static readonly TimeSpan FillTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Sets the pool's size; returns the size it had.</summary>
    public async Task<int> ResizeAsync(int size, CancellationToken cancellationToken)
    {
        var before = await GetAsync(cancellationToken);
        using var response = await admin.PutAsJsonAsync($"/api/admin/standby/{problemType}", new { size }, ApiJson.Options,
            cancellationToken);
        response.EnsureSuccessStatusCode();
        return before.Size;
    }

    /// <summary>
    /// Waits until the pool holds exactly its size in ready slots and none is being built or removed, printing
    /// progress; returns the pool's size.
    /// </summary>
    public async Task<int> WaitUntilFullAsync(TextWriter output, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FillTimeout);
        var last = -1;
        while (true)
        {
            var pool = await GetAsync(timeout.Token);
            // Exactly full, and nothing of a resize still being built or torn down: a run starts on a quiet platform.
            if (pool.Ready == pool.Size && pool.Provisioning == 0 && pool.Removing == 0)
            {
                if (last >= 0)
                {
                    output.WriteLine($"  standby pool full: {pool.Ready} of {pool.Size}");
                }

                return pool.Size;
            }

            if (pool.Ready != last)
            {
                output.WriteLine($"  waiting for the standby pool: {pool.Ready} of {pool.Size} ready");
                last = pool.Ready;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        }
    }

    /// <summary>Whether the problem type has a pool at all (custom and generated deployments have none).</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        var pools = await admin.GetFromJsonAsync<PoolList>("/api/admin/standby", ApiJson.Options, cancellationToken);
        return pools!.Pools.Any(p => p.ProblemType == problemType);
    }

    private async Task<Pool> GetAsync(CancellationToken cancellationToken)
    {
        var pools = await admin.GetFromJsonAsync<PoolList>("/api/admin/standby", ApiJson.Options, cancellationToken);
        return pools!.Pools.SingleOrDefault(p => p.ProblemType == problemType)
               ?? throw new InvalidOperationException($"The platform has no standby pool for '{problemType}'.");
    }

    private sealed record PoolList(IReadOnlyList<Pool> Pools);

    private sealed record Pool(string ProblemType, int Size, int Ready, int Provisioning, int Removing);
}
