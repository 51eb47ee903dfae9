using System.ComponentModel.DataAnnotations;

namespace Sdp.Orchestrator.Api.Quotas;

/// <summary>Each tenant's quotas unless the tenant has its own (set by an admin).</summary>
public sealed class TenantQuotaOptions
{
    public const string Section = "Quotas";

    /// <summary>Deployments queued, provisioning, ready or cleaning at once.</summary>
    [Range(1, 1_000_000)]
    public int MaxLiveDeployments { get; set; } = 50;

    /// <summary>Deployments created in any sliding hour.</summary>
    [Range(1, 1_000_000)]
    public int MaxDeploymentsPerHour { get; set; } = 500;

    /// <summary>Scenario runs queued or running at once.</summary>
    [Range(1, 10_000)]
    public int MaxScenarioRunsInFlight { get; set; } = 4;
}
