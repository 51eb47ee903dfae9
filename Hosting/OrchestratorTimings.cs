namespace Sdp.Hosting;

/// <summary>The pace of health checks, restarts and stops; tests make them shorter.</summary>
internal sealed record OrchestratorTimings
{
    /// <summary>Between checks until a resource is healthy for the first time (WaitFor waits on this).</summary>
    public TimeSpan StartupHealthCheckInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Between checks once it has been healthy.</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First restart delay after an unexpected exit; doubles with each further exit in a row.</summary>
    public TimeSpan InitialRestartDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A process that ran this long before exiting starts the back-off over.</summary>
    public TimeSpan StableRunTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a service gets between SIGTERM and SIGKILL; servers get what remains of the stop budget.</summary>
    public TimeSpan ProjectStopGrace { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RestartDelay(int exitsInARow) =>
        TimeSpan.FromTicks(Math.Min(MaxRestartDelay.Ticks, InitialRestartDelay.Ticks << Math.Min(exitsInARow - 1, 20)));
}
