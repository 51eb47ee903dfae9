using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LocalServers.Tests.Infrastructure;
using Sdp.Testing;
using Xunit.Abstractions;

namespace LocalServers.Tests;

/// <summary>A server whose binary is not installed fails at once, saying how to install it, and starts nothing.</summary>
public sealed class MissingBinaryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_missing_binary_fails_its_resource_at_once_with_the_bootstrap_hint_in_its_console_log()
    {
        using var state = new TestStateDirectory();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var (builder, servers) = LocalServersApp.CreateBuilder(state.Path,
            "--Sdp:PostgresBinDirectory=/nonexistent/postgres", "--Sdp:RedisBinDirectory=/nonexistent/redis",
            "--Sdp:RabbitMQBinDirectory=/nonexistent/rabbitmq");
        var (database, role, redis, messaging) = builder.AddServers(servers);
        builder.AddExecutable("client", "/bin/sleep", state.Path, "infinity")
            .WaitFor(database).WaitFor(role).WaitFor(redis).WaitFor(messaging);
        await using var app = await builder.BuildAsync(timeout.Token);

        var clock = Stopwatch.StartNew();
        // Aspire does not throw: the application starts, the resource fails.
        await app.StartAsync(timeout.Token);
        foreach (var name in new[] { "postgres", "redis", "messaging" })
        {
            await app.ResourceNotifications.WaitForResourceAsync(name, KnownResourceStates.FailedToStart, timeout.Token);
        }

        // A check, not a wait: far below what even a warm start of the servers takes.
        output.WriteLine($"failed to start {clock.Elapsed} after StartAsync was called");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"failed after {clock.Elapsed}");

        foreach (var (name, binary, setting) in new[]
        {
            ("postgres", "/nonexistent/postgres/initdb", "Sdp:PostgresBinDirectory"),
            ("redis", "/nonexistent/redis/redis-server", "Sdp:RedisBinDirectory"),
            ("messaging", "/nonexistent/rabbitmq/rabbitmq-server", "Sdp:RabbitMQBinDirectory"),
        })
        {
            var log = await app.ReadLogUntilAsync(name, line => line.Contains("scripts/bootstrap.sh", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10));
            var hint = Assert.Single(log, line => line.Contains("scripts/bootstrap.sh", StringComparison.Ordinal));
            Assert.Contains($"{binary} is missing", hint);
            Assert.Contains(setting, hint);
        }

        // The database and its role take their server's state; what waits for them gives up rather than waiting on.
        foreach (var name in new[] { "sdpdb", "sdpdb-app", "client" })
        {
            await app.ResourceNotifications.WaitForResourceAsync(name, KnownResourceStates.FailedToStart, timeout.Token);
        }

        Assert.Empty(ProcessTable.ProcessesUsing(state.Path));
    }
}
