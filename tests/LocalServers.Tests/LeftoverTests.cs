using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LocalServers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LocalServers.Tests;

/// <summary>
/// An AppHost killed outright leaves its servers running (each under a supervise.sh that is gone): the next start
/// on the same state folder stops them through the pid files, rather than meeting a locked data folder or a node
/// name in use.
/// </summary>
public sealed class LeftoverTests(ITestOutputHelper output)
{
    private static readonly string[] Servers = ["postgres", "redis", "messaging"];

    [Fact]
    public async Task Servers_left_running_by_a_killed_run_are_stopped_by_the_next_start()
    {
        using var state = new TestStateDirectory();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        List<int> leftovers;
        await using (var app = await StartAsync(state.Path, timeout.Token))
        {
            leftovers = [.. Servers.SelectMany(server => RecordedProcessIds(state.Path, server))];
            output.WriteLine("recorded: " + string.Join(", ", leftovers.Select(pid => $"{pid} {ProcessTable.CommandLine(pid)}")));
            Assert.NotEmpty(leftovers);

            // DCP still shows them running afterwards: the servers hold the wrappers' output pipes open.
            var wrappers = Servers.Select(app.ProcessId).ToList();
            wrappers.ForEach(ProcessTable.Kill);
            while (wrappers.Any(ProcessTable.IsAlive))
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        // What an AppHost killed with SIGKILL leaves: the servers, still running, holding their data and node names,
        // and what they started (the Erlang VM under rabbitmq-server's script, epmd).
        Assert.All(leftovers, pid => Assert.True(ProcessTable.IsAlive(pid), $"{pid} is gone already"));
        var left = ProcessTable.ProcessIdsUsing(state.Path);
        output.WriteLine("left running: " + string.Join(", ", left.Select(pid => $"{pid} {ProcessTable.CommandLine(pid)}")));
        Assert.Superset(leftovers.ToHashSet(), left.ToHashSet());

        await using (var app = await StartAsync(state.Path, timeout.Token))
        {
            Assert.All(left, pid => Assert.False(ProcessTable.IsAlive(pid), $"{pid} ({ProcessTable.CommandLine(pid)}) still runs"));
            Assert.All(Servers, server => Assert.NotEmpty(RecordedProcessIds(state.Path, server)));
            // Whoever wonders why this start took longer finds the reason in the server's own console log.
            var model = app.Services.GetRequiredService<DistributedApplicationModel>();
            var logs = app.Services.GetRequiredService<ResourceLoggerService>();
            foreach (var server in Servers)
            {
                var lines = new List<string>();
                await foreach (var batch in logs.GetAllAsync(model.Resources.Single(r => r.Name == server)).WithCancellation(timeout.Token))
                {
                    lines.AddRange(batch.Select(line => line.Content));
                }

                Assert.Contains(lines, line => line.Contains("left running by an earlier AppHost", StringComparison.Ordinal));
            }

            await app.DisposeAsync();
        }

        Assert.Empty(ProcessTable.ProcessesUsing(state.Path));
    }

    private static async Task<DistributedApplication> StartAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var (builder, state) = LocalServersApp.CreateBuilder(stateDirectory);
        builder.AddLocalPostgres("postgres", state);
        builder.AddLocalRedis("redis", state);
        builder.AddLocalRabbitMQ("messaging", state);
        var app = await builder.BuildAsync(cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken);
            await app.WaitUntilHealthyAsync(Servers, cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The live processes supervise.sh recorded for a server: the server itself and its helper (epmd).</summary>
    private static IEnumerable<int> RecordedProcessIds(string stateDirectory, string server) =>
        File.ReadAllLines(Path.Combine(stateDirectory, server, "server.pids"))
            .Select(line => int.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture))
            .Where(ProcessTable.IsAlive);
}
