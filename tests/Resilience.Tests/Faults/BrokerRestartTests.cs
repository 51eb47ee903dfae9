using System.Diagnostics;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Sdp.Resilience.Tests.Infrastructure;
using Sdp.Testing;
using Xunit.Abstractions;

namespace Sdp.Resilience.Tests.Faults;

/// <summary>
/// RabbitMQ restarts in the middle of a run: what the API accepted was saved with its message in the outbox, so
/// messages that could not be published (or were in flight) are published again, and every deployment gets built.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class BrokerRestartTests(ResilienceFixture platform, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly PlatformApi api = new(platform);

    [Fact]
    public async Task Restarting_RabbitMQ_during_a_run_loses_no_accepted_deployment()
    {
        await platform.WaitUntilAllHealthyAsync(TimeSpan.FromSeconds(60));
        var watch = Stopwatch.StartNew();
        var ids = new List<long>();
        // Slow service creation, so that the provisioner is in the middle of these when the broker goes away.
        using var simulator = new HttpClient { BaseAddress = platform.SimulatorUrl };
        (await simulator.PostAsJsonAsync("/simulator/faults", new { operationDelayMs = 1500 })).EnsureSuccessStatusCode();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await api.DeployAsync()).Id);
        }

        await Task.Delay(500);
        (await simulator.DeleteAsync("/simulator/faults")).EnsureSuccessStatusCode();

        // Stopped through Aspire's own resource command, as an operator would from the dashboard.
        using (var stopping = new CancellationTokenSource(Deadline))
        {
            await platform.App.ExecuteCommandAsync("messaging", KnownResourceCommands.StopCommand, stopping.Token);
        }

        var downAt = watch.Elapsed.TotalSeconds;

        // Accepted while the broker is down or coming back.
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await api.DeployAsync()).Id);
            await Task.Delay(300);
        }

        using (var starting = new CancellationTokenSource(Deadline))
        {
            var started = await platform.App.StartNewProcessAsync("messaging", KnownResourceCommands.StartCommand, starting.Token);
            await platform.App.WaitUntilHealthyAsync(["messaging"], checkedSince: started, starting.Token);
        }

        var upAt = watch.Elapsed.TotalSeconds;

        using var deadline = new CancellationTokenSource(Deadline);
        var outcomes = await Task.WhenAll(ids.Select(id => api.WaitForAnyAsync(id, PlatformApi.Final, deadline.Token)));
        var notReady = ids.Zip(outcomes).Where(p => p.Second?.State != "ready")
            .Select(p => $"{p.First}: {p.Second?.State ?? "still in flight"} {p.Second?.Error}").ToList();
        output.WriteLine($"{ids.Count} deployments accepted; broker down at {downAt:0.0} s, healthy again at {upAt:0.0} s; " +
                         $"all ready at {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(notReady.Count == 0, $"Not ready: {string.Join("; ", notReady)}");

        foreach (var id in ids)
        {
            await api.DeleteAsync(id);
        }

        var deleted = await Task.WhenAll(ids.Select(id => api.WaitForAnyAsync(id, ["deleted"], deadline.Token)));
        Assert.All(deleted, d => Assert.Equal("deleted", d?.State));

        // And every service got all its consumers back: each endpoint reconnects on its own back-off, and a service
        // with one still away (the cleanup worker's sweep endpoint, say) is not ready until it has.
        await platform.WaitUntilAllHealthyAsync(TimeSpan.FromSeconds(60));
    }
}
