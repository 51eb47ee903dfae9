using System.Diagnostics;
using Sdp.Hosting;

namespace Hosting.Tests;

public sealed class MissingBinaryTests
{
    [Fact]
    public async Task Start_fails_at_once_with_the_bootstrap_hint_when_a_server_binary_is_missing()
    {
        using var state = new TestStateDirectory();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(
            [$"--Sdp:StateDirectory={state.Path}", "--Sdp:PostgresBinDirectory=/nonexistent", "--Sdp:OrchestratorPort=0", "--Dashboard:Port=0"],
            timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);

        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync(timeout.Token));
        stopwatch.Stop();

        Assert.Equal("postgres", error.ResourceName);
        Assert.Contains("/nonexistent/initdb", error.Message);
        Assert.Contains("scripts/bootstrap.sh", error.Message);
        Assert.Equal(KnownResourceStates.RuntimeUnhealthy, app.ResourceNotifications.GetSnapshot("postgres").State);
        // Nothing was started: every other resource still waits, no process is recorded.
        Assert.All(app.ResourceNotifications.GetSnapshots().Where(s => s.Name != "postgres"),
            s => Assert.Equal(KnownResourceStates.Waiting, s.State));
        Assert.Empty(app.GetTrackedProcessIds());
        // A check, not a wait: far below what even a warm start of the servers takes.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"StartAsync took {stopwatch.Elapsed}.");
    }
}
