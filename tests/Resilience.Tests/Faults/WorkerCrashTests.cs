using System.Collections.Concurrent;
using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Sdp.Resilience.Tests.Infrastructure;
using Sdp.Testing;
using Xunit.Abstractions;

namespace Sdp.Resilience.Tests.Faults;

/// <summary>
/// kill -9 of the provisioner and the cleanup worker at random points while deployments are made and deleted: the
/// test starts them again once Aspire has seen them exit, and redelivery, the provisioning ledger, idempotent cleanup and the deadline watcher together
/// bring every deployment to an end, with nothing left behind.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class WorkerCrashTests(ResilienceFixture platform, ITestOutputHelper output)
{
    private const int Deployments = 50;
    private const int MinKills = 4;
    private const int MaxKills = 6;
    private static readonly TimeSpan ConvergenceDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] Workers = ["provisioner-worker", "cleanup-worker"];

    private readonly PlatformApi api = new(platform);

    [Fact]
    public async Task Killing_workers_during_deployments_and_deletions_leaves_nothing_stuck_or_behind()
    {
        await platform.WaitUntilAllHealthyAsync(TimeSpan.FromSeconds(60));
        var random = new Random(20261124);
        using var stopChaos = new CancellationTokenSource();
        var kills = new ConcurrentBag<string>();
        var chaos = Task.Run(() => KillWorkersAsync(new Random(random.Next()), kills, stopChaos.Token));

        // Deploy 50, deleting each at a random point of its life: half as soon as it is ready, half at once. A worker's
        // restart takes seconds, so on a slow machine 50 can be over before the fourth kill: deploying goes on until
        // then (within three times as many), so the kills always fall among deployments and deletions in flight.
        var watch = Stopwatch.StartNew();
        var ids = new ConcurrentBag<long>();
        var lifecycles = new List<Task>();
        for (var i = 0; i < Deployments || (kills.Count < MinKills && i < 3 * Deployments); i++)
        {
            var deployment = await api.DeployAsync();
            ids.Add(deployment.Id);
            var waitForReady = i % 2 == 0;
            var delay = TimeSpan.FromMilliseconds(random.Next(0, 1500));
            lifecycles.Add(Task.Run(async () =>
            {
                if (waitForReady)
                {
                    using var readyDeadline = new CancellationTokenSource(ConvergenceDeadline);
                    await api.WaitForAnyAsync(deployment.Id, PlatformApi.Final, readyDeadline.Token);
                }
                else
                {
                    await Task.Delay(delay);
                }

                await api.DeleteAsync(deployment.Id);
            }));
            await Task.Delay(random.Next(150, 450));
        }

        await Task.WhenAll(lifecycles).WaitAsync(ConvergenceDeadline);
        await stopChaos.CancelAsync();
        await chaos;
        var workloadSeconds = watch.Elapsed.TotalSeconds;

        // Every deployment ends deleted or failed (all were deleted); none stays in flight.
        await platform.WaitUntilAllHealthyAsync(TimeSpan.FromSeconds(60));
        using var deadline = new CancellationTokenSource(ConvergenceDeadline);
        var outcomes = await Task.WhenAll(ids.Select(id => api.WaitForAnyAsync(id, ["deleted", "failed"], deadline.Token)));
        var convergedSeconds = watch.Elapsed.TotalSeconds;
        var stuck = new List<string>();
        foreach (var id in ids)
        {
            var now = await api.GetAsync(id);
            if (now.State is not ("deleted" or "failed"))
            {
                stuck.Add($"{id}: {now.State}");
            }
        }

        Assert.True(stuck.Count == 0, $"Stuck after {ConvergenceDeadline.TotalSeconds:0} s: {string.Join(", ", stuck)}");

        // What the delete path left (a kill between steps) is the reconciler's, once its grace period is over.
        var leftBeforeSweep = await new LeftoverProbe(platform).FindAsync([.. ids]);
        await Task.Delay(ResilienceFixture.OrphanGracePeriod + TimeSpan.FromSeconds(1));
        var sweep = await api.RunCleanupAsync();
        var left = await new LeftoverProbe(platform).FindAsync([.. ids]);
        var sweptSeconds = watch.Elapsed.TotalSeconds;

        output.WriteLine($"deployments {ids.Count}, kills {kills.Count} ({string.Join(", ", kills.GroupBy(k => k).Select(g => $"{g.Key} {g.Count()}"))})");
        output.WriteLine($"outcomes: {string.Join(", ", outcomes.Where(o => o is not null).GroupBy(o => o!.State).Select(g => $"{g.Key} {g.Count()}"))}; stuck {stuck.Count}");
        output.WriteLine($"workload {workloadSeconds:0.0} s, all deleted or failed at {convergedSeconds:0.0} s, swept at {sweptSeconds:0.0} s");
        output.WriteLine($"left by the delete path before the sweep: {leftBeforeSweep.Count} ({string.Join(", ", leftBeforeSweep)})");
        output.WriteLine($"sweep removed: {string.Join(", ", sweep.Removed.Select(r => $"{r.Key} {r.Value}"))}; orphans left after it: {left.Count}");

        Assert.True(kills.Count >= MinKills, $"Only {kills.Count} kills happened; the test proved little.");
        Assert.True(left.Count == 0, $"Left behind: {string.Join(", ", left)}");
    }

    private async Task KillWorkersAsync(Random random, ConcurrentBag<string> kills, CancellationToken stop)
    {
        try
        {
            while (kills.Count < MaxKills)
            {
                var worker = Workers[random.Next(Workers.Length)];
                await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(worker, stop);
                await Task.Delay(random.Next(300, 1500), stop);
                if (platform.App.GetProcessId(worker) is { } pid)
                {
                    Signals.Send(pid, Signals.SIGKILL);
                    kills.Add(worker);
                    output.WriteLine($"killed {worker} (pid {pid})");
                    // Aspire does not restart what exits: once it has seen the exit, start it again, as a supervisor
                    // (Kubernetes, Cloud Run) would. The restart is not tied to the workload's end: a start canceled
                    // half-way leaves the worker failed to start, and the platform short of a worker for what follows.
                    using var restart = new CancellationTokenSource(RestartTimeout);
                    await platform.App.ResourceNotifications.WaitForResourceAsync(worker,
                        e => e.Snapshot.HasEnded(), restart.Token);
                    await platform.App.StartNewProcessAsync(worker, KnownResourceCommands.StartCommand, restart.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The workload is over.
        }
    }
}
