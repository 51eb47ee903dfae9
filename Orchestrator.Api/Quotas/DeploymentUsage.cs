namespace Sdp.Orchestrator.Api.Quotas;

/// <summary>What a tenant uses of its deployment quotas at one moment, as counted under its row's lock.</summary>
/// <param name="Live">Deployments queued, provisioning, ready or cleaning.</param>
/// <param name="NextExpiry">When the first of the live ones expires; null when none is live.</param>
/// <param name="LastHour">Deployments created in the last hour.</param>
/// <param name="OldestInHour">When the oldest of those was created; null when there are none.</param>
public sealed record DeploymentUsage(long Live, DateTimeOffset? NextExpiry, long LastHour, DateTimeOffset? OldestInHour);
