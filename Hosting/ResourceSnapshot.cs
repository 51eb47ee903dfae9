using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sdp.Hosting;

/// <summary>A resource's run-time state at one moment, as the dashboard and tests see it.</summary>
public sealed record ResourceSnapshot
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    /// <summary>One of <see cref="KnownResourceStates"/>.</summary>
    public string State { get; init; } = KnownResourceStates.Waiting;

    /// <summary>Null while unknown (not checked yet, or not running).</summary>
    public HealthStatus? Health { get; init; }

    public IReadOnlyList<Uri> Endpoints { get; init; } = [];

    /// <summary>How many times the host restarted it after an unexpected exit.</summary>
    public int RestartCount { get; init; }

    /// <summary>When its current (or last) process started.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Its process id (for PostgreSQL the postmaster), while it runs.</summary>
    public int? ProcessId { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>Why it failed, when it did.</summary>
    public string? Detail { get; init; }

    public bool IsRunningAndHealthy => State == KnownResourceStates.Running && Health == HealthStatus.Healthy;
}
