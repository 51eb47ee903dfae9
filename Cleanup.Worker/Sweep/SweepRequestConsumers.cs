using MassTransit;
using Sdp.Contracts;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>Answers the Orchestrator's <c>POST /api/admin/cleanup</c>: runs the sweep now.</summary>
public sealed class RunCleanupSweepConsumer(CleanupSweep sweep) : IConsumer<RunCleanupSweep>
{
    public async Task Consume(ConsumeContext<RunCleanupSweep> context)
    {
        var completed = await sweep.RunAsync(CleanupSweep.Manual, context.CancellationToken)
            ?? throw new TimeoutException("Another cleanup sweep is still running; try again shortly.");
        await context.RespondAsync(completed);
    }
}

/// <summary>Answers the Orchestrator's <c>GET /api/admin/orphans</c>: what the sweep would remove, removing nothing.</summary>
public sealed class ListOrphansConsumer(OrphanReconciler reconciler, LostResourceDetector lostResources, TimeProvider time)
    : IConsumer<ListOrphans>
{
    public async Task Consume(ConsumeContext<ListOrphans> context)
    {
        var orphans = await reconciler.FindAsync(context.CancellationToken);
        var lost = await lostResources.FindAsync(context.CancellationToken);
        await context.RespondAsync(new OrphansListed(orphans, [.. lost.Select(l => l.Id)], time.GetUtcNow()));
    }
}

public sealed class RunCleanupSweepConsumerDefinition : ConsumerDefinition<RunCleanupSweepConsumer>
{
    public RunCleanupSweepConsumerDefinition() => EndpointName = "cleanup-sweep-requested";
}

public sealed class ListOrphansConsumerDefinition : ConsumerDefinition<ListOrphansConsumer>
{
    public ListOrphansConsumerDefinition() => EndpointName = "cleanup-orphans-requested";
}
