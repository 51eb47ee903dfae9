namespace Sdp.Hosting;

/// <summary>Holds every resource's current <see cref="ResourceSnapshot"/> and lets callers wait for a state.</summary>
public sealed class ResourceNotificationService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceSnapshot> _snapshots = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Waiter> _waiters = [];

    internal ResourceNotificationService(IEnumerable<Resource> resources)
    {
        foreach (var resource in resources)
        {
            _snapshots[resource.Name] = new ResourceSnapshot { Name = resource.Name, Type = resource.Type };
        }
    }

    /// <summary>Raised after every change, outside the lock.</summary>
    internal event Action<ResourceSnapshot>? Changed;

    public ResourceSnapshot GetSnapshot(string resourceName)
    {
        lock (_gate)
        {
            return _snapshots.TryGetValue(resourceName, out var snapshot)
                ? snapshot
                : throw new ArgumentException($"No resource named '{resourceName}'.", nameof(resourceName));
        }
    }

    public IReadOnlyList<ResourceSnapshot> GetSnapshots()
    {
        lock (_gate)
        {
            return [.. _snapshots.Values];
        }
    }

    /// <summary>Completes when the resource reaches <paramref name="targetState"/> (one of <see cref="KnownResourceStates"/>).</summary>
    public Task<ResourceSnapshot> WaitForResourceAsync(string resourceName, string targetState, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(resourceName, s => s.State == targetState, cancellationToken);

    /// <summary>Completes when a snapshot of the resource (the current one included) matches <paramref name="predicate"/>.</summary>
    public Task<ResourceSnapshot> WaitForResourceAsync(string resourceName, Func<ResourceSnapshot, bool> predicate,
        CancellationToken cancellationToken = default) =>
        WaitAsync(resourceName, predicate, failOnTerminalState: false, cancellationToken);

    /// <summary>
    /// Completes when the resource is Running and Healthy; throws <see cref="DistributedApplicationException"/>
    /// if it reaches a state from which it will not become healthy (FailedToStart, RuntimeUnhealthy, Finished).
    /// </summary>
    public Task<ResourceSnapshot> WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default) =>
        WaitAsync(resourceName, s => s.IsRunningAndHealthy, failOnTerminalState: true, cancellationToken);

    internal ResourceSnapshot Publish(string resourceName, Func<ResourceSnapshot, ResourceSnapshot> update)
    {
        ResourceSnapshot snapshot;
        List<(Waiter Waiter, bool Matched)> completed = [];
        lock (_gate)
        {
            snapshot = update(_snapshots[resourceName]);
            _snapshots[resourceName] = snapshot;
            foreach (var waiter in _waiters.Where(w => string.Equals(w.ResourceName, resourceName, StringComparison.OrdinalIgnoreCase)))
            {
                if (waiter.Predicate(snapshot))
                {
                    completed.Add((waiter, true));
                }
                else if (waiter.FailOnTerminalState && KnownResourceStates.IsTerminal(snapshot.State))
                {
                    completed.Add((waiter, false));
                }
            }

            _waiters.RemoveAll(w => completed.Exists(c => c.Waiter == w));
        }

        foreach (var (waiter, matched) in completed)
        {
            waiter.Complete(snapshot, matched);
        }

        Changed?.Invoke(snapshot);
        return snapshot;
    }

    private async Task<ResourceSnapshot> WaitAsync(string resourceName, Func<ResourceSnapshot, bool> predicate,
        bool failOnTerminalState, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (!_snapshots.TryGetValue(resourceName, out var current))
            {
                throw new ArgumentException($"No resource named '{resourceName}'.", nameof(resourceName));
            }

            if (predicate(current))
            {
                return current;
            }

            if (failOnTerminalState && KnownResourceStates.IsTerminal(current.State))
            {
                throw Waiter.NotHealthy(current);
            }

            waiter = new Waiter(current.Name, predicate, failOnTerminalState);
            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class Waiter(string resourceName, Func<ResourceSnapshot, bool> predicate, bool failOnTerminalState)
    {
        private readonly TaskCompletionSource<ResourceSnapshot> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string ResourceName { get; } = resourceName;

        public Func<ResourceSnapshot, bool> Predicate { get; } = predicate;

        public bool FailOnTerminalState { get; } = failOnTerminalState;

        public Task<ResourceSnapshot> Task => _completion.Task;

        public static DistributedApplicationException NotHealthy(ResourceSnapshot snapshot) =>
            new($"Resource '{snapshot.Name}' will not become healthy: it is {snapshot.State}"
                + (snapshot.Detail is null ? "." : $" ({snapshot.Detail})."), snapshot.Name);

        public void Complete(ResourceSnapshot snapshot, bool matched)
        {
            if (matched)
            {
                _completion.TrySetResult(snapshot);
            }
            else
            {
                _completion.TrySetException(NotHealthy(snapshot));
            }
        }
    }
}
