using System.Diagnostics;
using MassTransit;
using Sdp.Contracts;
using Sdp.Cleanup.Worker.Sweep;
using Sdp.Provisioning.Candidates;

namespace Sdp.Cleanup.Worker.Cleanup;

/// <summary>
/// Removes every resource of a deployment. Idempotent by construction: each step treats "already gone" as
/// done, so a redelivered or repeated request simply confirms the deployment is clean.
/// </summary>
public sealed class CleanupRequestedConsumer(CandidateTeardown teardown, CleanupMetrics metrics, TimeProvider time)
    : IConsumer<CleanupRequested>
{
    public async Task Consume(ConsumeContext<CleanupRequested> context)
    {
        var deploymentId = context.Message.DeploymentId;
        using var activity = SdpTelemetry.ActivitySource.StartActivity("clean up deployment");
        activity?.SetTag("sdp.deployment.id", deploymentId);

        var watch = Stopwatch.StartNew();
        try
        {
            await teardown.RemoveAsync(new CandidateResourceNames(deploymentId), context.CancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.CleanedUp(watch.Elapsed, succeeded: false);
            throw;
        }

        metrics.CleanedUp(watch.Elapsed, succeeded: true);
        // A publish on a channel the broker closed can wait forever and keep the endpoint from reconnecting;
        // bounded, the consume fails and the (idempotent) cleanup comes again.
        using var publishDeadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        publishDeadline.CancelAfter(TimeSpan.FromSeconds(15));
        await context.Publish(new DeploymentCleanedUp(deploymentId, time.GetUtcNow(), watch.Elapsed.TotalMilliseconds),
            publishDeadline.Token);
    }
}

public sealed class CleanupRequestedConsumerDefinition : ConsumerDefinition<CleanupRequestedConsumer>
{
    public CleanupRequestedConsumerDefinition()
    {
        EndpointName = "cleanup-requested";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CleanupRequestedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 32;
        endpointConfigurator.ConcurrentMessageLimit = 32;
    }
}
