using System.Text.Json;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Database;

namespace Sdp.Orchestrator.Api.Scenarios;

/// <summary>A scenario run as the API shows it: progress while it runs, then the report.</summary>
public sealed record ScenarioRunResponse(
    long Id,
    long DeploymentId,
    string ProblemType,
    string State,
    string? Outcome,
    ScenarioLoad Load,
    bool CleanupAfterTest,
    ScenarioRunProgress Progress,
    JsonElement? Report,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt)
{
    public static ScenarioRunResponse From(ScenarioRunRecord run) => new(
        run.Id,
        run.DeploymentId,
        run.ProblemType,
        run.State,
        run.Outcome,
        new ScenarioLoad(run.RequestsPerSecond, run.DurationSeconds, run.Concurrency),
        run.CleanupAfterTest,
        new ScenarioRunProgress(run.Phase ?? run.State, run.RequestsSent, run.RequestsPlanned, run.ChecksPassed,
            run.ChecksFailed, run.ProgressAt.AsUtc()),
        run.Report is null ? null : JsonDocument.Parse(run.Report).RootElement.Clone(),
        run.CreatedAt.AsUtc(),
        run.StartedAt.AsUtc(),
        run.CompletedAt.AsUtc());


}

/// <summary>Where a run is: its phase (queued, correctness, load, completed), requests and checks so far.</summary>
public sealed record ScenarioRunProgress(
    string Phase,
    long RequestsSent,
    long RequestsPlanned,
    int ChecksPassed,
    int ChecksFailed,
    DateTimeOffset? UpdatedAt);

public sealed record ScenarioRunList(IReadOnlyList<ScenarioRunResponse> Items);
