namespace Sdp.Orchestrator.Api.Tenants;

/// <summary>One row of <c>platform.tenants</c>; a null quota means the configured default.</summary>
public sealed class TenantRecord
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public int? MaxLiveDeployments { get; init; }
    public int? MaxDeploymentsPerHour { get; init; }
    public int? MaxScenarioRunsInFlight { get; init; }
    public DateTime CreatedAt { get; init; }

    public const string Columns = """
        id, name, max_live_deployments AS MaxLiveDeployments, max_deployments_per_hour AS MaxDeploymentsPerHour,
        max_scenario_runs_in_flight AS MaxScenarioRunsInFlight, created_at AS CreatedAt
        """;
}
