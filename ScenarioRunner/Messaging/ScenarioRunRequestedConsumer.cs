using MassTransit;
using Sdp.Contracts;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.Messaging;

/// <summary>
/// Runs a requested scenario against the deployment's endpoint, publishing progress and then
/// <see cref="ScenarioRunCompleted"/>. The request is acknowledged only once the report is published, so a runner that
/// dies mid-run hands it back to the broker. A redelivered request for a run this process already started does not
/// drive traffic again: it waits for that run and publishes the same report (see <see cref="RecentScenarioRuns"/>). A
/// redelivered request this process never saw was taken by a runner that stopped during the run: it is closed as
/// <c>error</c> with that reason rather than run again, so a run that brings runners down cannot do it twice.
/// </summary>
public sealed partial class ScenarioRunRequestedConsumer(
    ScenarioEngine engine,
    RecentScenarioRuns recentRuns,
    TimeProvider time,
    ILogger<ScenarioRunRequestedConsumer> logger) : IConsumer<ScenarioRunRequested>
{
    public const string RunnerStoppedError =
        "The scenario runner carrying out this run stopped before it finished; the run was not repeated. Ask for a new run.";

    public async Task Consume(ConsumeContext<ScenarioRunRequested> context)
    {
        var request = context.Message;
        if (context.ReceiveContext.Redelivered && !recentRuns.Knows(request.RunId))
        {
            LogInterrupted(request.RunId, request.DeploymentId);
            var now = time.GetUtcNow();
            await PublishAsync(context, new ScenarioReport(ScenarioReport.Errored, [], null, RunnerStoppedError, now, now));
            return;
        }

        var progress = new BusScenarioProgress(context, request, time);
        var report = await recentRuns.GetOrStart(request.RunId, () => RunAsync(request, progress, context.CancellationToken),
            out var started);
        if (!started)
        {
            LogRepeated(request.RunId, request.DeploymentId);
        }

        LogCompleted(request.RunId, request.DeploymentId, request.ProblemType, report.Outcome);
        await PublishAsync(context, report);
    }

    private static Task PublishAsync(ConsumeContext<ScenarioRunRequested> context, ScenarioReport report) =>
        // Not the consume's token: a report that exists is worth publishing even while the runner stops.
        context.Publish(new ScenarioRunCompleted(context.Message.RunId, context.Message.DeploymentId, report, report.FinishedAt),
            CancellationToken.None);

    /// <summary>The run's report; a fault of the runner's own is reported as an error too, never left unanswered.</summary>
    private async Task<ScenarioReport> RunAsync(ScenarioRunRequested request, BusScenarioProgress progress, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        try
        {
            return await engine.RunAsync(request.ProblemType, request.ServiceSpec, request.EndpointUrl, request.Load, progress,
                cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(exception, request.RunId, request.DeploymentId);
            return new ScenarioReport(ScenarioReport.Errored, [], null, "The scenario runner failed while running the scenario.",
                startedAt, time.GetUtcNow());
        }
    }

    [LoggerMessage(LogLevel.Warning,
        "Scenario run {RunId} for deployment {DeploymentId} was redelivered from a runner that stopped during it; closing it as an error")]
    private partial void LogInterrupted(long runId, long deploymentId);

    [LoggerMessage(LogLevel.Information, "Scenario run {RunId} for deployment {DeploymentId} was already started here; repeating its report")]
    private partial void LogRepeated(long runId, long deploymentId);

    [LoggerMessage(LogLevel.Information, "Scenario run {RunId} for deployment {DeploymentId} ({ProblemType}): {Outcome}")]
    private partial void LogCompleted(long runId, long deploymentId, string problemType, string outcome);

    [LoggerMessage(LogLevel.Error, "Scenario run {RunId} for deployment {DeploymentId} failed inside the scenario runner")]
    private partial void LogFailed(Exception exception, long runId, long deploymentId);
}
