using Sdp.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;

namespace Sdp.DeployBenchmark;

/// <summary>
/// One run: deploy N at concurrency C (each worker waits for its deployment to be ready before the next),
/// then delete them all at the same concurrency. Latencies come from the platform's own state timestamps
/// (accepted → ready, cleaning → deleted), so how the client learns of them does not distort them, and from the
/// client's clock (request sent → ready or deleted seen), which includes the HTTP round trips.
/// </summary>
public sealed class DeployRun(BenchmarkOptions options, string apiKey)
{
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(120);

    public async Task<RunResult> ExecuteAsync(int run, int? standbyPool, CancellationToken cancellationToken)
    {
        using var http = TenantKeys.Client(options.Url, apiKey);
        var ready = new ConcurrentBag<Deployment>();
        var clientDeployMs = new ConcurrentBag<double>();
        var clientCleanupMs = new ConcurrentBag<double>();
        var failures = new ConcurrentBag<string>();

        var deployWatch = Stopwatch.StartNew();
        var runTag = Guid.NewGuid().ToString("N");
        await ForEachAsync(Enumerable.Range(0, options.Count), async (index, token) =>
        {
            var client = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync("/api/deployments", new
            {
                problem_type = options.ProblemType,
                design_text = options.UniqueDesign ? $"{options.DesignText} ({runTag} {index})" : options.DesignText,
                service_spec = options.ServiceSpec,
            }, ApiJson.Options, token);
            response.EnsureSuccessStatusCode();
            var accepted = (await response.Content.ReadFromJsonAsync<Deployment>(ApiJson.Options, token))!;
            // A standby slot is ready in the answer itself.
            var final = accepted.State == "ready" ? accepted : await WaitForAsync(http, accepted.Id, "ready", token);
            if (final.State == "ready")
            {
                clientDeployMs.Add(client.Elapsed.TotalMilliseconds);
                ready.Add(final);
            }
            else
            {
                failures.Add($"{final.Id}: {final.State} {final.Error}");
            }
        }, cancellationToken);
        var deployElapsed = deployWatch.Elapsed;

        var deleted = new ConcurrentBag<Deployment>();
        var cleanupWatch = Stopwatch.StartNew();
        await ForEachAsync(ready.ToList(), async (deployment, token) =>
        {
            var client = Stopwatch.StartNew();
            using var response = await http.DeleteAsync($"/api/deployments/{deployment.Id}", token);
            response.EnsureSuccessStatusCode();
            var final = await WaitForAsync(http, deployment.Id, "deleted", token);
            if (final.State == "deleted")
            {
                clientCleanupMs.Add(client.Elapsed.TotalMilliseconds);
                deleted.Add(final);
            }
            else
            {
                failures.Add($"{final.Id}: {final.State} while deleting");
            }
        }, cancellationToken);
        var cleanupElapsed = cleanupWatch.Elapsed;

        return new RunResult(run, options, standbyPool, [.. ready], [.. deleted], [.. failures], deployElapsed,
            cleanupElapsed, [.. clientDeployMs], [.. clientCleanupMs]);
    }

    private async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> body,
        CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(items,
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (item, token) => await body(item, token));

    /// <summary>Long-polls the API (<c>wait_for</c>) instead of polling, so the client costs the platform little.</summary>
    private static async Task<Deployment> WaitForAsync(HttpClient http, long id, string state,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StateTimeout);
        while (true)
        {
            var deployment = (await http.GetFromJsonAsync<Deployment>(
                $"/api/deployments/{id}?wait_for={state}&timeout_seconds=30", ApiJson.Options, timeout.Token))!;
            if (deployment.State == state || deployment.State == "failed")
            {
                return deployment;
            }
        }
    }
}

public sealed record Deployment(long Id, string State, double? DeploymentTimeSeconds, Timestamps Timestamps,
    Timings? Timings, string? Error, bool WarmStart, Generation? Generation = null)
{
    /// <summary>When it was accepted: a generated deployment is queued only once its spec is there.</summary>
    public DateTimeOffset Accepted => Timestamps.Generating ?? Timestamps.Queued;
}

public sealed record Timestamps(DateTimeOffset Queued, DateTimeOffset? Ready, DateTimeOffset? Cleaning,
    DateTimeOffset? Deleted, DateTimeOffset? Generating = null);

/// <summary>What generating a deployment's spec took (generated deployments only).</summary>
public sealed record Generation(double DurationMs, long InputTokens, long OutputTokens, int Requests, bool Cached);

public sealed record Timings(double DatabaseMs, double RedisMs, double ServiceMs, double HealthMs, double TotalMs);
