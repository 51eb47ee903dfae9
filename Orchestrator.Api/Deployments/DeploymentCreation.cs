using Sdp.Orchestrator.Api.Outbox;
using Sdp.Orchestrator.Api.Quotas;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>What asking for a new deployment came to.</summary>
public abstract record DeploymentCreation
{
    private DeploymentCreation() { }

    /// <summary>
    /// Saved; <paramref name="Message"/> (DeploymentRequested) is null when a standby slot was claimed
    /// (<see cref="DeploymentRecord.WarmStart"/>) and when the deployment waits for its spec to be generated.
    /// </summary>
    public sealed record Created(DeploymentRecord Deployment, OutboxMessage? Message) : DeploymentCreation;

    public sealed record Refused(QuotaExceeded Quota) : DeploymentCreation;
}
