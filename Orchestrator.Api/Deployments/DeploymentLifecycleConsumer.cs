using MassTransit;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Outbox;
using Sdp.Orchestrator.Api.Standby;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// Applies what the workers report to the platform's record (a standby slot's or a deployment's). Each update is conditional on the state it
/// moves from, so a message delivered twice, late or out of order changes nothing the second time.
/// </summary>
public sealed class DeploymentLifecycleConsumer(DeploymentStore store, StandbyStore standby,
    StandbySlotHealthStore standbyHealth, StandbyRefiller refiller, OutboxPublisher outbox) :
    IConsumer<DeploymentProvisioningStarted>,
    IConsumer<DeploymentProvisioned>,
    IConsumer<DeploymentFailed>,
    IConsumer<DeploymentCleanedUp>,
    IConsumer<DeploymentLost>
{
    public Task Consume(ConsumeContext<DeploymentProvisioningStarted> context) =>
        store.MarkProvisioningAsync(context.Message.DeploymentId, context.CancellationToken);

    public async Task Consume(ConsumeContext<DeploymentProvisioned> context)
    {
        if (await standby.MarkReadyAsync(context.Message, context.CancellationToken))
        {
            refiller.PoolsChanged();
            return;
        }

        var cleanup = await store.MarkReadyAsync(context.Message, context.CancellationToken);
        if (cleanup is not null)
        {
            // Deleted (or failed) while it was being built: what was just built must go too.
            await PublishAsync(cleanup, context.CancellationToken);
        }
    }

    public async Task Consume(ConsumeContext<DeploymentFailed> context)
    {
        if (await standby.MarkFailedAsync(context.Message, context.CancellationToken))
        {
            refiller.PoolsChanged();
            return;
        }

        await store.MarkFailedAsync(context.Message, context.CancellationToken);
    }

    /// <summary>Nearly every cleanup is a tenant's deployment's, so that is tried first.</summary>
    public async Task Consume(ConsumeContext<DeploymentCleanedUp> context)
    {
        if (!await store.MarkDeletedAsync(context.Message.DeploymentId, context.CancellationToken))
        {
            await standby.MarkRemovedAsync(context.Message.DeploymentId, context.CancellationToken);
        }
    }

    /// <summary>
    /// A ready deployment that lost part of what it runs on (its Redis user, and its keys with it; its service) is not
    /// repaired behind the candidate's back, which would hand them a service that silently forgot its data: it
    /// fails, says why, and is cleaned. A standby slot is nobody's yet: it is removed and the refiller replaces it.
    /// </summary>
    public async Task Consume(ConsumeContext<DeploymentLost> context)
    {
        var (id, reason) = (context.Message.DeploymentId, context.Message.Reason);
        if (await store.MarkLostAsync(id, reason, context.CancellationToken) is { } cleanup)
        {
            await PublishAsync(cleanup, context.CancellationToken);
            return;
        }

        if (await standbyHealth.RemoveLostAsync(id, reason, context.CancellationToken) is { } removal)
        {
            await PublishAsync(removal, context.CancellationToken);
            refiller.PoolsChanged();
        }
    }

    /// <summary>
    /// Saved with the state change, so the relay publishes it if this does not. Bounded: a publish on a channel the
    /// broker closed can wait forever, and a consumer stuck in it keeps the endpoint from reconnecting.
    /// </summary>
    private async Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        await outbox.PublishAsync(message, deadline.Token);
    }
}

public sealed class DeploymentLifecycleConsumerDefinition : ConsumerDefinition<DeploymentLifecycleConsumer>
{
    public DeploymentLifecycleConsumerDefinition()
    {
        EndpointName = "orchestrator-deployment-lifecycle";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<DeploymentLifecycleConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 64;
        endpointConfigurator.ConcurrentMessageLimit = 32;
    }
}
