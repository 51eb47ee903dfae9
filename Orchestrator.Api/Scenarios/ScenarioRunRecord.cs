namespace Sdp.Orchestrator.Api.Scenarios;

/// <summary>One row of <c>platform.scenario_runs</c>; times are UTC.</summary>
public sealed class ScenarioRunRecord
{
    public long Id { get; init; }
    public long DeploymentId { get; init; }
    public required string ProblemType { get; init; }
    public required string State { get; init; }
    public int RequestsPerSecond { get; init; }
    public int DurationSeconds { get; init; }
    public int Concurrency { get; init; }
    public bool CleanupAfterTest { get; init; }
    public string? Phase { get; init; }
    public long RequestsSent { get; init; }
    public long RequestsPlanned { get; init; }
    public int ChecksPassed { get; init; }
    public int ChecksFailed { get; init; }
    public DateTime? ProgressAt { get; init; }
    public string? Outcome { get; init; }
    public string? Report { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? CompletedAt { get; init; }

    /// <summary>The columns above, for SELECT and RETURNING lists.</summary>
    public const string Columns = """
        id, deployment_id AS DeploymentId, problem_type AS ProblemType, state,
        requests_per_second AS RequestsPerSecond, duration_seconds AS DurationSeconds, concurrency,
        cleanup_after_test AS CleanupAfterTest, phase, requests_sent AS RequestsSent,
        requests_planned AS RequestsPlanned, checks_passed AS ChecksPassed, checks_failed AS ChecksFailed,
        progress_at AS ProgressAt, outcome, report::text AS Report, created_at AS CreatedAt,
        started_at AS StartedAt, completed_at AS CompletedAt
        """;
}
