using System.Diagnostics;
using Sdp.AppHost;

namespace AppHost.Tests;

/// <summary>
/// Lowering a running process's CPU priority, as the AppHost does for Aspire's dashboard: every thread of it, once.
/// Redis (which scripts/bootstrap.sh installs) stands in for it: a server with threads of its own, started here on a
/// Unix socket of its own rather than a port.
/// </summary>
public sealed class ProcessPriorityTests : IDisposable
{
    private readonly TestStateDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Every_thread_of_a_running_process_is_lowered_and_a_second_time_changes_nothing()
    {
        using var server = Process.Start(new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", "0", "--unixsocket", Path.Combine(_state.Path, "redis.sock"), "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
        })!;
        try
        {
            // Redis starts its background threads as it starts: wait until there are some.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (ProcessPriority.Threads(server.Id).Count < 2)
            {
                await Task.Delay(20, timeout.Token);
            }

            var threads = ProcessPriority.Threads(server.Id);
            Assert.All(threads, t => Assert.Equal(0, t.Nice));

            Assert.Equal(threads.Count, ProcessPriority.Lower(server.Id, 10));
            Assert.All(ProcessPriority.Threads(server.Id), t => Assert.Equal(10, t.Nice));
            Assert.Equal(0, ProcessPriority.Lower(server.Id, 10));
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_process_that_has_ended_has_nothing_to_lower()
    {
        using var ended = Process.Start(new ProcessStartInfo("true"))!;
        await ended.WaitForExitAsync();

        Assert.Empty(ProcessPriority.Threads(ended.Id));
        Assert.Equal(0, ProcessPriority.Lower(ended.Id, 10));
    }
}
