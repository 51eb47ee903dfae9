using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Sdp.Hosting.Runners;

namespace Sdp.Hosting;

/// <summary>
/// Start order, supervision and stop order. Each resource gets a supervisor that waits for its WaitFor
/// dependencies to be Running and Healthy, starts it, checks its health, and restarts it with exponential back-off
/// when it exits unexpectedly. Independent resources start concurrently. Stopping goes in reverse dependency order.
/// </summary>
internal sealed class ResourceOrchestrator
{
    private readonly IReadOnlyList<Resource> _resources;
    private readonly Func<Resource, IResourceRunner> _runnerFor;
    private readonly ResourceNotificationService _notifications;
    private readonly ResourceLogs _logs;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly OrchestratorTimings _timings;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly List<Task> _supervisors = [];
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<DistributedApplicationException> _failures = new();
    private Task? _stopping;

    public ResourceOrchestrator(IReadOnlyList<Resource> resources, Func<Resource, IResourceRunner> runnerFor,
        ResourceNotificationService notifications, ResourceLogs logs, ILogger logger, TimeProvider timeProvider,
        OrchestratorTimings timings)
    {
        _resources = resources;
        var runners = resources.ToDictionary(r => r, runnerFor);
        _runnerFor = r => runners[r];
        _notifications = notifications;
        _logs = logs;
        _logger = logger;
        _timeProvider = timeProvider;
        _timings = timings;
    }

    /// <summary>
    /// Starts every resource and returns once all are Running and Healthy. Throws
    /// <see cref="DistributedApplicationException"/> naming the resource that failed, at once: a missing binary
    /// before anything starts, a resource that could not start as soon as it fails.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var missing = _resources
            .Select(r => (Resource: r, Message: _runnerFor(r).FindMissingPrerequisite()))
            .Where(m => m.Message is not null)
            .ToList();
        if (missing.Count > 0)
        {
            foreach (var (resource, message) in missing)
            {
                Transition(resource, s => s with { State = KnownResourceStates.RuntimeUnhealthy, Detail = message }, message);
            }

            throw new DistributedApplicationException(string.Join(Environment.NewLine, missing.Select(m => m.Message).Distinct()),
                missing[0].Resource.Name);
        }

        foreach (var resource in _resources)
        {
            try
            {
                await _runnerFor(resource).PrepareAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DistributedApplicationException e)
            {
                Transition(resource, s => s with { State = KnownResourceStates.FailedToStart, Detail = e.Message }, e.Message);
                throw;
            }
        }

        lock (_gate)
        {
            if (_stopping is not null)
            {
                throw new InvalidOperationException("The application is stopping.");
            }

            foreach (var resource in _resources)
            {
                _supervisors.Add(Task.Run(() => SuperviseAsync(resource, _lifetime.Token), CancellationToken.None));
            }
        }

        await WaitUntilAllHealthyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops everything in reverse dependency order within <paramref name="budget"/>; safe to call more than once.</summary>
    public Task StopAsync(TimeSpan budget)
    {
        lock (_gate)
        {
            return _stopping ??= StopCoreAsync(budget);
        }
    }

    private async Task WaitUntilAllHealthyAsync(CancellationToken cancellationToken)
    {
        var pending = _resources.Select(r => _notifications.WaitForResourceHealthyAsync(r.Name, cancellationToken)).ToList();
        try
        {
            while (pending.Count > 0)
            {
                var done = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(done);
                await done.ConfigureAwait(false);
            }
        }
        catch (DistributedApplicationException) when (_failures.TryPeek(out var rootCause))
        {
            // Dependents of a failed resource fail too, maybe first to be noticed here: report the cause.
            throw rootCause;
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            var notHealthy = _notifications.GetSnapshots()
                .Where(s => !s.IsRunningAndHealthy)
                .Select(s => $"{s.Name} ({s.State}{(s.Health is { } health ? ", " + health : "")})");
            throw new OperationCanceledException(
                $"Start was cancelled while waiting for: {string.Join(", ", notHealthy)}.", e, cancellationToken);
        }
    }

    private async Task SuperviseAsync(Resource resource, CancellationToken lifetime)
    {
        var runner = _runnerFor(resource);
        if (resource.WaitFor.Count > 0)
        {
            Transition(resource, s => s with { State = KnownResourceStates.Waiting },
                $"for {string.Join(", ", resource.WaitFor.Select(d => d.Name))}");
        }

        foreach (var dependency in resource.WaitFor)
        {
            try
            {
                await _notifications.WaitForResourceHealthyAsync(dependency.Name, lifetime).ConfigureAwait(false);
            }
            catch (DistributedApplicationException)
            {
                var detail = $"not started: {dependency.Name} failed";
                Transition(resource, s => s with { State = KnownResourceStates.FailedToStart, Detail = detail }, detail);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var everHealthy = false;
        var exitsInARow = 0;
        while (!lifetime.IsCancellationRequested)
        {
            Transition(resource, s => s with { State = KnownResourceStates.Starting, Health = null, ExitCode = null, Detail = null });
            var startTime = _timeProvider.GetUtcNow();
            int? exitCode;
            try
            {
                var instance = await runner.StartAsync(lifetime).ConfigureAwait(false);
                var endpoints = resource.Endpoints.Select(e => e.Url).OfType<Uri>().ToList();
                Transition(resource, s => s with
                {
                    State = KnownResourceStates.Running,
                    ProcessId = instance.ProcessId,
                    StartTime = startTime,
                    Endpoints = endpoints,
                }, Describe(endpoints, instance.ProcessId));
                exitCode = await MonitorAsync(resource, runner, instance, () => everHealthy = true, lifetime).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!everHealthy)
            {
                Fail(resource, e is DistributedApplicationException ? e.Message : $"{e.GetType().Name}: {e.Message}", null);
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning("{Resource}: restart failed: {Error}", resource.Name, e.Message);
                exitCode = null;
            }

            if (lifetime.IsCancellationRequested)
            {
                return;
            }

            if (!everHealthy)
            {
                Fail(resource, $"exited with code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} before it became healthy", exitCode);
                return;
            }

            exitsInARow = _timeProvider.GetUtcNow() - startTime >= _timings.StableRunTime ? 1 : exitsInARow + 1;
            var delay = _timings.RestartDelay(exitsInARow);
            Transition(resource, s => s with { State = KnownResourceStates.Exited, ExitCode = exitCode, Health = null, ProcessId = null },
                $"unexpectedly (code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}); restarting in {delay.TotalSeconds:0.#} s",
                LogLevel.Warning);
            try
            {
                await Task.Delay(delay, _timeProvider, lifetime).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _notifications.Publish(resource.Name, s => s with { RestartCount = s.RestartCount + 1 });
        }
    }

    /// <summary>Checks health until the instance exits; returns its exit code. Throws when the lifetime ends.</summary>
    private async Task<int?> MonitorAsync(Resource resource, IResourceRunner runner, ResourceInstance instance, Action onHealthy,
        CancellationToken lifetime)
    {
        var everHealthy = false;
        while (true)
        {
            var healthy = await CheckHealthAsync(runner, lifetime).ConfigureAwait(false);
            if (instance.Exited.IsCompleted)
            {
                return await instance.Exited.ConfigureAwait(false);
            }

            var health = healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy;
            // Not healthy yet while starting is expected: only a change after the first success is news.
            if (_notifications.GetSnapshot(resource.Name).Health != health && (healthy || everHealthy))
            {
                _notifications.Publish(resource.Name, s => s with { Health = health });
                Report(resource, health.ToString(), healthy ? LogLevel.Information : LogLevel.Warning);
            }

            if (healthy && !everHealthy)
            {
                everHealthy = true;
                onHealthy();
            }

            var interval = everHealthy ? _timings.HealthCheckInterval : _timings.StartupHealthCheckInterval;
            var next = Task.Delay(interval, _timeProvider, lifetime);
            if (await Task.WhenAny(instance.Exited, next).ConfigureAwait(false) == instance.Exited)
            {
                return await instance.Exited.ConfigureAwait(false);
            }

            lifetime.ThrowIfCancellationRequested();
        }
    }

    private async Task<bool> CheckHealthAsync(IResourceRunner runner, CancellationToken lifetime)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        timeout.CancelAfter(_timings.HealthCheckTimeout);
        try
        {
            return await runner.IsHealthyAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!lifetime.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task StopCoreAsync(TimeSpan budget)
    {
        var deadline = _timeProvider.GetUtcNow() + budget;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        Task[] supervisors;
        lock (_gate)
        {
            supervisors = [.. _supervisors];
        }

        // Supervisors return promptly once cancelled; whatever they had started, the runners stop below.
        await Task.WhenAll(supervisors).WaitAsync(budget, _timeProvider).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var stops = new Dictionary<Resource, Task>();
        Task StopAfterDependents(Resource resource)
        {
            if (!stops.TryGetValue(resource, out var stop))
            {
                var dependents = _resources.Where(d => DependsOn(d, resource)).Select(StopAfterDependents).ToList();
                stop = StopOneAsync(resource, dependents, deadline);
                stops[resource] = stop;
            }

            return stop;
        }

        await Task.WhenAll(_resources.Select(StopAfterDependents)).ConfigureAwait(false);
    }

    private async Task StopOneAsync(Resource resource, List<Task> dependents, DateTimeOffset deadline)
    {
        await Task.WhenAll(dependents).ConfigureAwait(false);
        var state = _notifications.GetSnapshot(resource.Name).State;
        if (state is KnownResourceStates.FailedToStart or KnownResourceStates.RuntimeUnhealthy)
        {
            // Keep the reason visible; still stop whatever a failed start left behind.
            await _runnerFor(resource).StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        if (state is KnownResourceStates.Waiting)
        {
            // Never started: nothing of it runs, and its runner must not touch what another host may own.
            Transition(resource, s => s with { State = KnownResourceStates.Finished }, "not started");
            return;
        }

        Transition(resource, s => s with { State = KnownResourceStates.Stopping });

        // Keep a second of the budget for killing what does not stop in time.
        var remaining = deadline - _timeProvider.GetUtcNow() - TimeSpan.FromSeconds(1);
        var grace = resource is ProjectResource && _timings.ProjectStopGrace < remaining ? _timings.ProjectStopGrace : remaining;
        using var graceTimeout = new CancellationTokenSource(grace > TimeSpan.Zero ? grace : TimeSpan.Zero, _timeProvider);
        try
        {
            await _runnerFor(resource).StopAsync(graceTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogError("{Resource}: stop failed: {Error}", resource.Name, e.Message);
        }

        Transition(resource, s => s with { State = KnownResourceStates.Finished, Health = null, ProcessId = null });
    }

    private static string? Describe(List<Uri> endpoints, int? processId)
    {
        var parts = endpoints.Select(e => e.ToString().TrimEnd('/')).ToList();
        if (processId is { } pid)
        {
            parts.Add($"(pid {pid})");
        }

        return parts.Count == 0 ? null : string.Join(' ', parts);
    }

    /// <summary>Whether <paramref name="dependent"/> needs <paramref name="dependency"/> while it runs.</summary>
    private static bool DependsOn(Resource dependent, Resource dependency) =>
        dependent.WaitFor.Contains(dependency)
        || dependent.References.Contains(dependency)
        || (dependent is IResourceWithParent<IResource> child && ReferenceEquals(child.Parent, dependency));

    private void Fail(Resource resource, string reason, int? exitCode)
    {
        var tail = _logs.Tail(resource.Name, 15);
        var detail = tail.Length == 0 ? reason : $"{reason}. Last output:{Environment.NewLine}{tail}";
        _failures.Enqueue(new DistributedApplicationException($"Resource '{resource.Name}' failed to start: {detail}", resource.Name));
        Transition(resource, s => s with { State = KnownResourceStates.FailedToStart, Detail = detail, ExitCode = exitCode, Health = null, ProcessId = null },
            reason, LogLevel.Error);
    }

    /// <summary>Publishes the change and reports it on the console and in the resource's own log.</summary>
    private void Transition(Resource resource, Func<ResourceSnapshot, ResourceSnapshot> update, string? details = null,
        LogLevel level = LogLevel.Information)
    {
        var snapshot = _notifications.Publish(resource.Name, update);
        Report(resource, details is null ? snapshot.State : $"{snapshot.State} {details}", level);
    }

    private void Report(Resource resource, string message, LogLevel level = LogLevel.Information)
    {
        _logger.Log(level, "{Resource}: {Change}", resource.Name, message);
        _logs.Append(resource.Name, $"[host] {message}", isError: level >= LogLevel.Warning, echo: false);
    }
}
