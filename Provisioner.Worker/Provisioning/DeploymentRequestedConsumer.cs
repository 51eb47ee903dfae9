using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using Sdp.Contracts;
using Sdp.Templates.Catalog;

namespace Sdp.Provisioner.Worker.Provisioning;

/// <summary>
/// Provisions a requested deployment exactly once, however often the request is delivered: the ledger's claim
/// keeps duplicates from working at the same time, a finished deployment's outcome is reported again, and an
/// attempt a crash cut short is cleared away before starting over.
/// </summary>
public sealed class DeploymentRequestedConsumer(
    ProvisioningLedger ledger,
    CandidateProvisioner provisioner,
    TimeProvider time,
    ILogger<DeploymentRequestedConsumer> logger) : IConsumer<DeploymentRequested>
{
    /// <summary>
    /// A publish on a channel the broker closed (a broker restart) can wait forever, and an endpoint with a consumer
    /// stuck in it never reconnects. Bounded, the consume fails, the endpoint recovers and the message comes again.
    /// </summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(15);

    public async Task Consume(ConsumeContext<DeploymentRequested> context)
    {
        var request = context.Message;
        var cancellationToken = context.CancellationToken;

        await using var claim = await ledger.TryClaimAsync(request.DeploymentId, cancellationToken);
        if (claim is null)
        {
            logger.LogInformation("Deployment {DeploymentId} is being provisioned by another consumer; skipping duplicate",
                request.DeploymentId);
            return;
        }

        var outcome = claim.FinalOutcome;
        if (outcome is null)
        {
            using (var started = PublishDeadline(cancellationToken))
            {
                await context.Publish(new DeploymentProvisioningStarted(request.DeploymentId, time.GetUtcNow()),
                    started.Token);
            }

            if (claim.Attempt > 1)
            {
                logger.LogWarning("Deployment {DeploymentId}: attempt {Attempt}, clearing what an interrupted attempt left",
                    request.DeploymentId, claim.Attempt);
                await provisioner.RemoveLeftoversAsync(new CandidateResourceNames(request.DeploymentId), cancellationToken);
            }

            outcome = await provisioner.ProvisionAsync(request.DeploymentId, request.ProblemType, request.Settings,
                request.ServiceSpec, cancellationToken);
            await claim.RecordAsync(outcome, time.GetUtcNow(), cancellationToken);
            RecordOutcome(request, outcome);
        }

        var names = new CandidateResourceNames(request.DeploymentId);
        using var reported = PublishDeadline(cancellationToken);
        if (outcome.IsReady)
        {
            await context.Publish(new DeploymentProvisioned(request.DeploymentId, outcome.EndpointUrl!.ToString(),
                names.DatabaseSchema, names.RedisPrefix, outcome.Timings!, time.GetUtcNow()), reported.Token);
        }
        else
        {
            await context.Publish(new DeploymentFailed(request.DeploymentId, outcome.Reason!, time.GetUtcNow()),
                reported.Token);
        }
    }

    /// <summary>Counted once per deployment, when its outcome is first known (not when a duplicate replays it).</summary>
    private void RecordOutcome(DeploymentRequested request, ProvisioningOutcome outcome)
    {
        var tags = new TagList
        {
            // Unknown problem types are refused by the API; the fallback keeps the label set bounded all the same.
            { SdpMetrics.ProblemTypeTag, TemplateCatalog.Find(request.ProblemType) is null ? "unknown" : request.ProblemType },
            { SdpMetrics.TargetTag, provisioner.TargetKind },
            { SdpMetrics.OutcomeTag, outcome.IsReady ? SdpMetrics.ReadyOutcome : SdpMetrics.FailedOutcome },
        };
        SdpMetrics.DeploymentsCompleted.Add(1, tags);
        SdpMetrics.DeploymentDuration.Record(Math.Max(0, (time.GetUtcNow() - request.RequestedAt).TotalSeconds), tags);
    }

    private static CancellationTokenSource PublishDeadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PublishTimeout);
        return deadline;
    }
}

public sealed class DeploymentRequestedConsumerDefinition : ConsumerDefinition<DeploymentRequestedConsumer>
{
    private readonly int concurrentDeployments;

    public DeploymentRequestedConsumerDefinition(IOptions<ProvisioningOptions> options)
    {
        concurrentDeployments = options.Value.ConcurrentDeployments;
        EndpointName = "provisioner-deployment-requested";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<DeploymentRequestedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = concurrentDeployments;
        endpointConfigurator.ConcurrentMessageLimit = concurrentDeployments;
    }
}
