using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Sdp.Hosting;

namespace Hosting.Tests;

/// <summary>Start order, failure propagation, restarts and stop order, on fake resources.</summary>
public sealed class OrchestratorTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<string> _events = new();
    private readonly Dictionary<string, FakeRunner> _runners = [];
    private readonly List<Resource> _resources = [];
    private ResourceNotificationService? _notifications;
    private ResourceOrchestrator? _orchestrator;

    private ResourceNotificationService Notifications => _notifications!;

    private ResourceOrchestrator Orchestrator => _orchestrator!;

    [Fact]
    public async Task A_dependent_starts_only_once_its_dependency_is_running_and_healthy()
    {
        var database = Add("database");
        var service = Add("service", waitFor: database);
        var dependencyHealthyAtStart = false;
        _runners["service"].OnStart = _ =>
        {
            dependencyHealthyAtStart = Notifications.GetSnapshot("database").IsRunningAndHealthy;
            return Task.CompletedTask;
        };
        Build();

        var start = Orchestrator.StartAsync(CancellationToken.None);
        await Notifications.WaitForResourceAsync("database", KnownResourceStates.Running).WaitAsync(Patience);
        // Dozens of health checks of the dependency fail meanwhile (one every 10 ms).
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, _runners["service"].StartCount);
        Assert.Equal(KnownResourceStates.Waiting, Notifications.GetSnapshot("service").State);
        Assert.False(start.IsCompleted);

        _runners["database"].Healthy = true;
        await _runners["service"].Started.WaitAsync(Patience);
        _runners["service"].Healthy = true;
        await start.WaitAsync(Patience);

        Assert.True(dependencyHealthyAtStart);
        Assert.Equal(["database.start", "database.healthy", "service.start", "service.healthy"], _events);
        Assert.All(Notifications.GetSnapshots(), s => Assert.True(s.IsRunningAndHealthy));
    }

    [Fact]
    public async Task Independent_resources_start_concurrently()
    {
        Add("slow");
        Add("other");
        var releaseSlow = new TaskCompletionSource();
        _runners["slow"].OnStart = ct => releaseSlow.Task.WaitAsync(ct);
        Build();

        var start = Orchestrator.StartAsync(CancellationToken.None);
        // "other" starts while "slow" is still inside its start.
        await _runners["other"].Started.WaitAsync(Patience);
        Assert.False(_runners["slow"].Started.IsCompleted);

        releaseSlow.SetResult();
        _runners["slow"].Healthy = true;
        _runners["other"].Healthy = true;
        await start.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_failed_start_fails_StartAsync_naming_the_resource_and_its_dependents_never_start()
    {
        var broker = Add("broker");
        Add("worker", waitFor: broker);
        _runners["broker"].OnStart = _ => throw new DistributedApplicationException("port taken", "broker");
        Build();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => Orchestrator.StartAsync(CancellationToken.None))
            .WaitAsync(Patience);

        Assert.Equal("broker", error.ResourceName);
        Assert.Contains("port taken", error.Message);
        Assert.Equal(KnownResourceStates.FailedToStart, Notifications.GetSnapshot("broker").State);
        var worker = await Notifications.WaitForResourceAsync("worker", KnownResourceStates.FailedToStart).WaitAsync(Patience);
        Assert.Contains("broker", worker.Detail);
        Assert.Equal(0, _runners["worker"].StartCount);
    }

    [Fact]
    public async Task A_missing_prerequisite_fails_at_once_before_anything_starts()
    {
        Add("server");
        Add("other");
        _runners["server"] = new FakeRunner("server", _events) { MissingPrerequisite = "server binary missing: run scripts/bootstrap.sh" };
        Build();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => Orchestrator.StartAsync(CancellationToken.None));

        Assert.Equal("server", error.ResourceName);
        Assert.Contains("scripts/bootstrap.sh", error.Message);
        Assert.Equal(KnownResourceStates.RuntimeUnhealthy, Notifications.GetSnapshot("server").State);
        Assert.Empty(_events);
    }

    [Fact]
    public async Task An_unexpected_exit_is_restarted_and_counted()
    {
        Add("service");
        Build();
        _runners["service"].Healthy = true;
        await Orchestrator.StartAsync(CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(1001, Notifications.GetSnapshot("service").ProcessId);

        // Waiting from before the crash: Exited lasts only until the restart.
        var exitedWait = Notifications.WaitForResourceAsync("service", KnownResourceStates.Exited);
        _runners["service"].Crash(137);
        var exited = await exitedWait.WaitAsync(Patience);
        Assert.Equal(137, exited.ExitCode);
        _runners["service"].Healthy = true;
        var restarted = await Notifications.WaitForResourceAsync("service", s => s.RestartCount == 1 && s.IsRunningAndHealthy)
            .WaitAsync(Patience);

        Assert.Equal(1002, restarted.ProcessId);
        Assert.Equal(2, _runners["service"].StartCount);
    }

    [Fact]
    public void Exits_in_a_row_back_off_exponentially()
    {
        var timings = new OrchestratorTimings
        {
            InitialRestartDelay = TimeSpan.FromSeconds(1),
            MaxRestartDelay = TimeSpan.FromSeconds(30),
        };

        Assert.Equal(TimeSpan.FromSeconds(1), timings.RestartDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(2), timings.RestartDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(16), timings.RestartDelay(5));
        Assert.Equal(TimeSpan.FromSeconds(30), timings.RestartDelay(6));
        Assert.Equal(TimeSpan.FromSeconds(30), timings.RestartDelay(500));
    }

    [Fact]
    public async Task Stop_goes_in_reverse_dependency_order()
    {
        var postgres = Add("postgres");
        var database = Add("database", waitFor: postgres);
        var simulator = Add("simulator");
        Add("worker", waitFor: database, references: simulator);
        Build();
        foreach (var runner in _runners.Values)
        {
            runner.Healthy = true;
        }

        await Orchestrator.StartAsync(CancellationToken.None).WaitAsync(Patience);
        await Orchestrator.StopAsync(TimeSpan.FromSeconds(15)).WaitAsync(Patience);

        var stops = _events.Where(e => e.EndsWith(".stop", StringComparison.Ordinal)).ToList();
        Assert.True(stops.IndexOf("worker.stop") < stops.IndexOf("database.stop"));
        Assert.True(stops.IndexOf("worker.stop") < stops.IndexOf("simulator.stop"));
        Assert.True(stops.IndexOf("database.stop") < stops.IndexOf("postgres.stop"));
        Assert.All(Notifications.GetSnapshots(), s => Assert.Equal(KnownResourceStates.Finished, s.State));
    }

    [Fact]
    public async Task Stopping_leaves_alone_what_was_never_started()
    {
        var server = Add("server");
        Add("client", waitFor: server);
        Build();

        var start = Orchestrator.StartAsync(CancellationToken.None);
        await Notifications.WaitForResourceAsync("server", KnownResourceStates.Running).WaitAsync(Patience);
        await Orchestrator.StopAsync(TimeSpan.FromSeconds(15)).WaitAsync(Patience);

        Assert.Equal(1, _runners["server"].StopCount);
        Assert.Equal(0, _runners["client"].StopCount);
        Assert.Equal(KnownResourceStates.Finished, Notifications.GetSnapshot("client").State);
        await Assert.ThrowsAsync<DistributedApplicationException>(() => start);
    }

    [Fact]
    public async Task Healthy_wait_throws_when_the_resource_cannot_become_healthy()
    {
        Add("broken");
        _runners["broken"].OnStart = _ => throw new InvalidOperationException("no");
        Build();

        await Assert.ThrowsAsync<DistributedApplicationException>(() => Orchestrator.StartAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(
            () => Notifications.WaitForResourceHealthyAsync("broken"));

        Assert.Equal("broken", error.ResourceName);
        Assert.Contains("InvalidOperationException: no", error.Message);
    }

    public async ValueTask DisposeAsync()
    {
        if (_orchestrator is not null)
        {
            await _orchestrator.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    private FakeResource Add(string name, Resource? waitFor = null, Resource? references = null)
    {
        var resource = new FakeResource(name);
        if (waitFor is not null)
        {
            resource.AddWaitFor(waitFor);
        }

        if (references is not null)
        {
            resource.AddReference(references);
        }

        _resources.Add(resource);
        _runners[name] = new FakeRunner(name, _events);
        return resource;
    }

    private void Build()
    {
        _notifications = new ResourceNotificationService(_resources);
        var logs = new ResourceLogs(_resources.Select(r => r.Name), NullLoggerFactory.Instance, TimeProvider.System);
        _orchestrator = new ResourceOrchestrator(_resources, r => _runners[r.Name], _notifications, logs,
            NullLogger.Instance, TimeProvider.System, new OrchestratorTimings
            {
                StartupHealthCheckInterval = TimeSpan.FromMilliseconds(10),
                HealthCheckInterval = TimeSpan.FromMilliseconds(20),
                InitialRestartDelay = TimeSpan.FromMilliseconds(10),
            });
    }
}
