namespace Sdp.Simulator.CloudRun.Faults;

/// <summary>
/// The faults in force, switchable at run time: over HTTP (<c>/simulator/faults</c>) or, in in-process tests, by
/// taking this service from the container. Thread-safe: counts are taken with interlocked decrements.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock gate = new();
    private SimulatedFaults current = new();
    private int latencyLeft;
    private int status429Left;
    private int status503Left;
    private int operationErrorsLeft;

    public SimulatedFaults Current
    {
        get
        {
            lock (gate)
            {
                return current with
                {
                    LatencyCount = current.LatencyCount is null ? null : Volatile.Read(ref latencyLeft),
                    Status429Count = Volatile.Read(ref status429Left),
                    Status503Count = Volatile.Read(ref status503Left),
                    OperationErrorCount = Volatile.Read(ref operationErrorsLeft),
                };
            }
        }
    }

    /// <summary>Replaces the faults in force.</summary>
    public void Set(SimulatedFaults faults)
    {
        lock (gate)
        {
            current = faults;
            Volatile.Write(ref latencyLeft, faults.LatencyCount ?? 0);
            Volatile.Write(ref status429Left, faults.Status429Count ?? 0);
            Volatile.Write(ref status503Left, faults.Status503Count ?? 0);
            Volatile.Write(ref operationErrorsLeft, faults.OperationErrorCount ?? 0);
        }
    }

    public void Clear() => Set(new SimulatedFaults());

    /// <summary>Whether request faults apply to a request with <paramref name="method"/>.</summary>
    public bool Matches(string method)
    {
        var filter = Volatile.Read(ref current).Method;
        return string.IsNullOrEmpty(filter) || string.Equals(filter, method, StringComparison.OrdinalIgnoreCase);
    }

    public bool TryTake503() => TryTake(ref status503Left);

    public bool TryTake429(out int? retryAfterSeconds)
    {
        retryAfterSeconds = Volatile.Read(ref current).RetryAfterSeconds;
        return TryTake(ref status429Left);
    }

    /// <summary>How long to hold this answer, or zero.</summary>
    public TimeSpan TakeLatency()
    {
        var faults = Volatile.Read(ref current);
        if (faults.LatencyMs is not > 0)
        {
            return TimeSpan.Zero;
        }

        return faults.LatencyCount is null || TryTake(ref latencyLeft)
            ? TimeSpan.FromMilliseconds(faults.LatencyMs!.Value)
            : TimeSpan.Zero;
    }

    public bool TryTakeOperationError() => TryTake(ref operationErrorsLeft);

    public TimeSpan OperationDelay =>
        Volatile.Read(ref current).OperationDelayMs is > 0 and var delay ? TimeSpan.FromMilliseconds(delay) : TimeSpan.Zero;

    private static bool TryTake(ref int counter)
    {
        while (true)
        {
            var left = Volatile.Read(ref counter);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
