namespace Sdp.Orchestrator.Api.Tenants;

/// <summary>A tenant's own quotas; a missing or null one follows the configured default.</summary>
public sealed record QuotaOverrides(int? MaxLiveDeployments = null, int? MaxDeploymentsPerHour = null,
    int? MaxScenarioRunsInFlight = null)
{
    public void Validate(Dictionary<string, string[]> errors, string prefix)
    {
        Check(MaxLiveDeployments, "max_live_deployments", 1_000_000);
        Check(MaxDeploymentsPerHour, "max_deployments_per_hour", 1_000_000);
        Check(MaxScenarioRunsInFlight, "max_scenario_runs_in_flight", 10_000);

        void Check(int? value, string name, int max)
        {
            if (value is { } v && (v < 1 || v > max))
            {
                errors[$"{prefix}{name}"] = [$"{name} must be a whole number from 1 to {max}, or null for the default."];
            }
        }
    }
}
