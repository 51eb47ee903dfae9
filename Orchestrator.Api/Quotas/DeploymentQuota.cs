namespace Sdp.Orchestrator.Api.Quotas;

/// <summary>Whether a tenant may start one more deployment, and if not, which quota stops it and when room frees.</summary>
public static class DeploymentQuota
{
    /// <summary>Null when one more deployment fits both quotas; the live-deployments quota is reported first.</summary>
    public static QuotaExceeded? Check(TenantQuotas quotas, DeploymentUsage usage)
    {
        if (usage.Live >= quotas.MaxLiveDeployments)
        {
            return new QuotaExceeded(QuotaExceeded.LiveDeployments, quotas.MaxLiveDeployments, usage.NextExpiry,
                "Delete a deployment that is no longer needed; otherwise room frees when the next one expires.");
        }

        if (usage.LastHour >= quotas.MaxDeploymentsPerHour)
        {
            // The window slides: the oldest deployment of the hour leaves it an hour after it was created.
            return new QuotaExceeded(QuotaExceeded.DeploymentsPerHour, quotas.MaxDeploymentsPerHour,
                usage.OldestInHour?.AddHours(1),
                "Room frees an hour after the oldest deployment of the last hour was created.");
        }

        return null;
    }
}
