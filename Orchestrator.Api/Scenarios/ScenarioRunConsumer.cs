using MassTransit;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Deployments;
using Sdp.Orchestrator.Api.Outbox;

namespace Sdp.Orchestrator.Api.Scenarios;

/// <summary>
/// Applies what the scenario runner reports about a run. Completion of a run that asked for it removes the
/// deployment: the cleanup is requested before the run is marked completed, so a crash in between is
/// repaired by redelivery (a second cleanup request of a deployment already cleaning does nothing).
/// </summary>
public sealed class ScenarioRunConsumer(ScenarioRunStore runs, DeploymentStore deployments, OutboxPublisher outbox,
    ILogger<ScenarioRunConsumer> logger) :
    IConsumer<ScenarioRunProgressed>,
    IConsumer<ScenarioRunCompleted>
{
    public Task Consume(ConsumeContext<ScenarioRunProgressed> context) =>
        runs.ApplyProgressAsync(context.Message, context.CancellationToken);

    public async Task Consume(ConsumeContext<ScenarioRunCompleted> context)
    {
        var completed = context.Message;
        var run = await runs.FindAsync(completed.RunId, context.CancellationToken);
        if (run is null || run.State == ScenarioRunState.Completed)
        {
            return;
        }

        if (run.CleanupAfterTest)
        {
            var cleanup = await deployments.RequestCleanupAsync(run.DeploymentId, context.CancellationToken,
                CleanupReason.AfterTest);
            if (cleanup is (_, { } message))
            {
                logger.LogInformation("Scenario run {RunId} completed; cleaning up deployment {DeploymentId} as asked",
                    run.Id, run.DeploymentId);
                await outbox.PublishOrLeaveToRelayAsync(message, context.CancellationToken);
            }
        }

        await runs.CompleteAsync(completed, context.CancellationToken);
    }
}

public sealed class ScenarioRunConsumerDefinition : ConsumerDefinition<ScenarioRunConsumer>
{
    public ScenarioRunConsumerDefinition()
    {
        EndpointName = "orchestrator-scenario-runs";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScenarioRunConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 32;
        endpointConfigurator.ConcurrentMessageLimit = 16;
    }
}
