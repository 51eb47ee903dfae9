using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Sdp.Contracts;
using Sdp.Resilience.Tests.Infrastructure;
using Sdp.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Sdp.Resilience.Tests.Restart;

/// <summary>
/// Stopping and starting is what a developer does every day, and the platform stands for a production one that does not
/// forget: after a restart of the whole platform on its state folder, a Simulator (the local Cloud Run) killed and
/// started again, or a Redis restart, every deployment that was ready answers again with its data, and no deployment
/// handed out refuses connections.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class PlatformRestartTests(ResilienceFixture platform, ITestOutputHelper output)
{
    private const int PoolSize = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly PlatformApi api = new(platform);

    [Fact]
    public async Task After_a_restart_on_the_same_state_folder_ready_deployments_answer_with_their_data_and_the_pool_hands_out_only_answering_ones()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await ResizePoolAsync(PoolSize, timeout.Token);
        try
        {
            await WaitForReadySlotsAsync(PoolSize, timeout.Token);
            var kept = await DeployWithDataAsync(3, timeout.Token);

            var clock = Stopwatch.StartNew();
            await platform.RestartPlatformAsync(timeout.Token);
            output.WriteLine($"platform healthy again {clock.Elapsed.TotalSeconds:0.0} s after the start");
            await WaitUntilAnsweringAsync(kept, timeout.Token);
            output.WriteLine($"every kept deployment answering {clock.Elapsed.TotalSeconds:0.0} s after the start");

            await AssertKeptAsync(kept, timeout.Token);

            // Right after the restart: every deployment handed out answers at once, from the pool or built.
            var taken = await Task.WhenAll(Enumerable.Range(0, PoolSize).Select(_ => DeployReadyAsync(timeout.Token)));
            var refused = new List<string>();
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var deployment in taken)
            {
                try
                {
                    using var health = await http.GetAsync(new Uri(new Uri(deployment.EndpointUrl!), "/health"), timeout.Token);
                    if (!health.IsSuccessStatusCode)
                    {
                        refused.Add($"{deployment.Id} answered {(int)health.StatusCode}");
                    }
                }
                catch (HttpRequestException exception)
                {
                    refused.Add($"{deployment.Id} ({(deployment.WarmStart ? "warm" : "built")}): {exception.Message}");
                }
            }

            output.WriteLine($"{taken.Count(d => d.WarmStart)} of {taken.Length} taken from the pool");
            Assert.True(refused.Count == 0, $"Handed out but not answering: {string.Join("; ", refused)}");
            await Task.WhenAll(taken.Select(d => api.DeleteAsync(d.Id)).Concat(kept.Select(k => api.DeleteAsync(k.Deployment.Id))));
        }
        finally
        {
            await ResizePoolAsync(0, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_Simulator_killed_and_started_again_brings_every_service_back_at_its_URL()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var kept = await DeployWithDataAsync(2, timeout.Token);

        var pid = platform.App.GetProcessId("simulator") ?? throw new InvalidOperationException("The Simulator has no pid.");
        Signals.Send(pid, Signals.SIGKILL);
        await platform.App.ResourceNotifications.WaitForResourceAsync("simulator",
            e => e.Snapshot.HasEnded(), timeout.Token);
        var clock = Stopwatch.StartNew();
        await platform.App.ExecuteCommandAsync("simulator", KnownResourceCommands.StartCommand, timeout.Token);
        await platform.WaitUntilAllHealthyAsync(Patience);
        await WaitUntilAnsweringAsync(kept, timeout.Token);
        output.WriteLine($"every kept deployment answering {clock.Elapsed.TotalSeconds:0.0} s after the start command");

        await AssertKeptAsync(kept, timeout.Token);
        await Task.WhenAll(kept.Select(k => api.DeleteAsync(k.Deployment.Id)));
    }

    [Fact]
    public async Task Restarting_Redis_keeps_candidates_keys_and_users()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var kept = await DeployWithDataAsync(1, timeout.Token);
        var names = new CandidateResourceNames(kept[0].Deployment.Id);
        // A redirect caches the code in Redis (cache-aside, written after the answer).
        await AssertKeptAsync(kept, timeout.Token);
        var keysBefore = await CandidateKeysAsync(names);
        while (keysBefore.Count == 0)
        {
            await Task.Delay(50, timeout.Token);
            keysBefore = await CandidateKeysAsync(names);
        }

        // The dashboard's restart: the server stops (TERM: Redis flushes its append-only file) and starts again.
        var restarted = await platform.App.StartNewProcessAsync("redis", KnownResourceCommands.RestartCommand, timeout.Token);
        await platform.App.WaitUntilHealthyAsync(["redis"], checkedSince: restarted, timeout.Token);
        await platform.WaitUntilAllHealthyAsync(Patience);

        Assert.Contains(names.RedisUser, await RedisUsersAsync());
        Assert.Equal(keysBefore, await CandidateKeysAsync(names));
        await AssertKeptAsync(kept, timeout.Token);
        await api.DeleteAsync(kept[0].Deployment.Id);
    }

    private sealed record Kept(DeploymentView Deployment, string Code, string Url);

    /// <summary>Ready URL shorteners, each holding a shortened URL of its own.</summary>
    private async Task<List<Kept>> DeployWithDataAsync(int count, CancellationToken cancellationToken)
    {
        var kept = new List<Kept>();
        for (var i = 0; i < count; i++)
        {
            var deployment = await DeployReadyAsync(cancellationToken);
            var url = $"https://example.com/kept/{deployment.Id}";
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(deployment.EndpointUrl!) };
            using var created = await http.PostAsJsonAsync("/api/urls", new { url }, cancellationToken);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var code = (await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("code").GetString()!;
            kept.Add(new Kept(deployment, code, url));
        }

        return kept;
    }

    private async Task<DeploymentView> DeployReadyAsync(CancellationToken cancellationToken)
    {
        var requested = await api.DeployAsync();
        var deployment = await api.WaitForAnyAsync(requested.Id, ["ready", "failed"], cancellationToken);
        Assert.True(deployment?.State == "ready", $"Deployment {requested.Id} is {deployment?.State ?? "not ready in time"}: {deployment?.Error}");
        return deployment!;
    }

    /// <summary>
    /// Services come back as the Simulator restores them: waits (within the test's patience) until each answers,
    /// while its deployment stays ready throughout.
    /// </summary>
    private async Task WaitUntilAnsweringAsync(List<Kept> kept, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var (deployment, _, _) in kept)
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            patience.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await WaitUntilAnsweringAsync(http, deployment, patience.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                using var simulator = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = platform.SimulatorUrl };
                var service = await simulator.GetStringAsync(
                    $"/v2/projects/sdp-local/locations/local/services/sdp-sub-{deployment.Id}", cancellationToken);
                Assert.Fail($"Deployment {deployment.Id} does not answer at {deployment.EndpointUrl} a minute on; the Simulator has: {service}");
            }
        }
    }

    private async Task WaitUntilAnsweringAsync(HttpClient http, DeploymentView deployment, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                using var health = await http.GetAsync(new Uri(new Uri(deployment.EndpointUrl!), "/health"), cancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException
                                              && !cancellationToken.IsCancellationRequested)
            {
                // Not back yet.
            }

            Assert.Equal("ready", (await api.GetAsync(deployment.Id, cancellationToken)).State);
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Still ready, at the same URL, and every shortened URL still resolves.</summary>
    private async Task AssertKeptAsync(List<Kept> kept, CancellationToken cancellationToken)
    {
        foreach (var (deployment, code, url) in kept)
        {
            var now = await api.GetAsync(deployment.Id, cancellationToken);
            Assert.Equal("ready", now.State);
            Assert.Equal(deployment.EndpointUrl, now.EndpointUrl);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
            {
                BaseAddress = new Uri(deployment.EndpointUrl!),
            };
            using var redirect = await http.GetAsync($"/{code}", cancellationToken);
            Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
            Assert.Equal(url, redirect.Headers.Location?.ToString());
        }
    }

    private async Task ResizePoolAsync(int size, CancellationToken cancellationToken)
    {
        using var response = await platform.AdminApi.PutAsJsonAsync("/api/admin/standby/url_shortener", new { size }, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task WaitForReadySlotsAsync(int ready, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pools = await platform.AdminApi.GetFromJsonAsync<JsonElement>("/api/admin/standby", cancellationToken);
            var pool = pools.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("problem_type").GetString() == "url_shortener");
            if (pool.GetProperty("ready").GetInt32() >= ready)
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task<HashSet<string>> RedisUsersAsync() =>
        ((RedisResult[])(await platform.Redis.GetDatabase().ExecuteAsync("ACL", "USERS"))!)
            .Select(u => (string?)u).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private async Task<Dictionary<string, string?>> CandidateKeysAsync(CandidateResourceNames names)
    {
        var server = platform.Redis.GetServers().Single();
        var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: names.RedisPrefix + "*"))
        {
            keys[key!] = (await platform.Redis.GetDatabase().KeyTypeAsync(key)).ToString();
        }

        return keys;
    }
}
