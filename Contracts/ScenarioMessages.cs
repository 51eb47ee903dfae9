using Sdp.Templates.Catalog.Custom;

namespace Sdp.Contracts;

// Scenario runs: the Orchestrator asks, the scenario runner drives traffic at the deployment's own URL and reports.

/// <summary>Orchestrator → scenario runner: run the scenario of <see cref="ProblemType"/> against <see cref="EndpointUrl"/>.</summary>
/// <param name="ServiceSpec">The spec a <c>custom</c> deployment serves, which its scenario exercises; null for the templates.</param>
public sealed record ScenarioRunRequested(
    long RunId,
    long DeploymentId,
    string ProblemType,
    string EndpointUrl,
    ScenarioLoad Load,
    DateTimeOffset RequestedAt,
    ServiceSpec? ServiceSpec = null);

/// <summary>The load phase's shape. The Orchestrator validates the bounds; the scenario runner clamps to them again.</summary>
public sealed record ScenarioLoad(int RequestsPerSecond, int DurationSeconds, int Concurrency)
{
    public const int MaxRequestsPerSecond = 500;
    public const int MaxDurationSeconds = 60;
    public const int MaxConcurrency = 64;

    public static ScenarioLoad Default { get; } = new(RequestsPerSecond: 50, DurationSeconds: 5, Concurrency: 4);
}

/// <summary>Scenario runner → Orchestrator: a run's progress, sent when a phase starts and about once a second during load.</summary>
public sealed record ScenarioRunProgressed(
    long RunId,
    long DeploymentId,
    string Phase,
    long RequestsSent,
    long RequestsPlanned,
    int ChecksPassed,
    int ChecksFailed,
    DateTimeOffset At);

/// <summary>Scenario runner → Orchestrator: the run is over; <see cref="ScenarioReport.Outcome"/> says how it went.</summary>
public sealed record ScenarioRunCompleted(long RunId, long DeploymentId, ScenarioReport Report, DateTimeOffset CompletedAt);

/// <summary>What a scenario run found.</summary>
/// <param name="Outcome"><c>passed</c> (every check passed), <c>failed</c> (a check failed) or <c>error</c> (the run could not be carried out).</param>
/// <param name="Checks">The correctness phase's checks, in the order they ran.</param>
/// <param name="Load">The load phase's figures; null when it did not run.</param>
/// <param name="Error">Why the run could not be carried out, when <see cref="Outcome"/> is <c>error</c>.</param>
public sealed record ScenarioReport(
    string Outcome,
    IReadOnlyList<ScenarioCheckResult> Checks,
    LoadPhaseReport? Load,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt)
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Errored = "error";
}

/// <summary>One correctness check: its name, whether it held, and what was seen when it did not.</summary>
public sealed record ScenarioCheckResult(string Name, bool Passed, string? Detail);

/// <summary>The load phase's figures. Latencies in milliseconds; errors keyed by kind (e.g. <c>http_500</c>, <c>timeout</c>, <c>connection</c>).</summary>
public sealed record LoadPhaseReport(
    long Requests,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorsByKind,
    double LatencyP50Ms,
    double LatencyP95Ms,
    double LatencyP99Ms,
    double RequestsPerSecond,
    double DurationSeconds,
    ScenarioLoad Settings);
