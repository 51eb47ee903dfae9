using MassTransit;
using Sdp.Contracts;
using Sdp.Simulator.Scenarios.Engine;

namespace Sdp.Simulator.Scenarios.Messaging;

/// <summary>
/// Runs a requested scenario against the deployment's endpoint, publishing progress and then
/// <see cref="ScenarioRunCompleted"/>. A redelivered request for a run this process already started does not drive
/// traffic again: it waits for that run and publishes the same report (see <see cref="RecentScenarioRuns"/>).
/// </summary>
public sealed class ScenarioRunRequestedConsumer(
    ScenarioRunner runner,
    RecentScenarioRuns recentRuns,
    TimeProvider time,
    ILogger<ScenarioRunRequestedConsumer> logger) : IConsumer<ScenarioRunRequested>
{
    public async Task Consume(ConsumeContext<ScenarioRunRequested> context)
    {
        var request = context.Message;
        var progress = new BusScenarioProgress(context, request, time);
        var report = await recentRuns.GetOrStart(request.RunId, () => RunAsync(request, progress, context.CancellationToken),
            out var started);
        if (!started)
        {
            logger.LogInformation("Scenario run {RunId} for deployment {DeploymentId} was already started here; repeating its report",
                request.RunId, request.DeploymentId);
        }

        logger.LogInformation("Scenario run {RunId} for deployment {DeploymentId} ({ProblemType}): {Outcome}",
            request.RunId, request.DeploymentId, request.ProblemType, report.Outcome);
        await context.Publish(new ScenarioRunCompleted(request.RunId, request.DeploymentId, report, report.FinishedAt),
            CancellationToken.None);
    }

    /// <summary>The run's report; a fault of the Simulator's own is reported as an error too, never left unanswered.</summary>
    private async Task<ScenarioReport> RunAsync(ScenarioRunRequested request, BusScenarioProgress progress, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        try
        {
            return await runner.RunAsync(request.ProblemType, request.EndpointUrl, request.Load, progress, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Scenario run {RunId} for deployment {DeploymentId} failed inside the Simulator",
                request.RunId, request.DeploymentId);
            return new ScenarioReport(ScenarioReport.Errored, [], null, "The Simulator failed while running the scenario.",
                startedAt, time.GetUtcNow());
        }
    }
}
