namespace Sdp.ScenarioRunner.Tests.Engine;

/// <summary>
/// The system clock, except that timers of one due time (a request timeout) fire only when the test says so. A test can
/// then let every request that answers be judged before any timeout fires, however slowly a loaded machine answers.
/// </summary>
public sealed class HeldTimeouts(TimeSpan heldDueTime) : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<HeldTimer> timers = [];

    /// <summary>How many held timers were created, and how many of them are neither disposed nor fired.</summary>
    public (int Created, int Pending) Count()
    {
        lock (gate)
        {
            return (timers.Count, timers.Count(timer => !timer.Done));
        }
    }

    /// <summary>Waits until <paramref name="created"/> timers were created and exactly <paramref name="pending"/> remain.</summary>
    public async Task WaitForAsync(int created, int pending, TimeSpan limit)
    {
        var started = System.GetTimestamp();
        while (Count() != (created, pending))
        {
            if (System.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Held timers: expected {created} created and {pending} pending, have {Count()}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Fires every pending held timer, as if its due time had passed.</summary>
    public void FireAll()
    {
        List<HeldTimer> due;
        lock (gate)
        {
            due = timers.Where(timer => !timer.Done).ToList();
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != heldDueTime)
        {
            return System.CreateTimer(callback, state, dueTime, period);
        }

        var timer = new HeldTimer(callback, state);
        lock (gate)
        {
            timers.Add(timer);
        }

        return timer;
    }

    private sealed class HeldTimer(TimerCallback callback, object? state) : ITimer
    {
        private int done;

        public bool Done => Volatile.Read(ref done) == 1;

        public void Fire()
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                callback(state);
            }
        }

        // A held timer is never re-armed by the code under test; a change stops it like disposal does.
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Exchange(ref done, 1);
            return true;
        }

        public void Dispose() => Interlocked.Exchange(ref done, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
