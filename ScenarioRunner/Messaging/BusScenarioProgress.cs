using MassTransit;
using Sdp.Contracts;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.Messaging;

/// <summary>Publishes a run's progress as <see cref="ScenarioRunProgressed"/>.</summary>
internal sealed class BusScenarioProgress(IPublishEndpoint publisher, ScenarioRunRequested request, TimeProvider time) : IScenarioProgress
{
    public Task ReportAsync(ScenarioProgress progress, CancellationToken cancellationToken) =>
        publisher.Publish(new ScenarioRunProgressed(request.RunId, request.DeploymentId, progress.Phase, progress.RequestsSent,
            progress.RequestsPlanned, progress.ChecksPassed, progress.ChecksFailed, time.GetUtcNow()), cancellationToken);
}
