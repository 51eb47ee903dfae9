namespace Sdp.Orchestrator.Api.Quotas;

/// <summary>A tenant's quotas in effect: its own where set, else the configured defaults.</summary>
public sealed record TenantQuotas(int MaxLiveDeployments, int MaxDeploymentsPerHour, int MaxScenarioRunsInFlight)
{
    public static TenantQuotas Resolve(int? liveDeployments, int? deploymentsPerHour, int? scenarioRunsInFlight,
        TenantQuotaOptions defaults) => new(
        liveDeployments ?? defaults.MaxLiveDeployments,
        deploymentsPerHour ?? defaults.MaxDeploymentsPerHour,
        scenarioRunsInFlight ?? defaults.MaxScenarioRunsInFlight);
}
