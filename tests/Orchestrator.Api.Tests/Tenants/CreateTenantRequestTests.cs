using Sdp.Orchestrator.Api.Tenants;

namespace Sdp.Orchestrator.Api.Tests.Tenants;

public sealed class CreateTenantRequestTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    [InlineData("acme\u0007")]
    public void A_tenant_needs_a_printable_name(string? name)
    {
        Assert.Contains("name", new CreateTenantRequest(name).Validate().Keys);
    }

    [Fact]
    public void Quota_overrides_out_of_bounds_are_named_under_quotas_and_null_ones_follow_the_defaults()
    {
        var request = new CreateTenantRequest("acme", new QuotaOverrides(MaxLiveDeployments: 0,
            MaxDeploymentsPerHour: null, MaxScenarioRunsInFlight: 10_001));

        var errors = request.Validate();

        Assert.Equal(["quotas.max_live_deployments", "quotas.max_scenario_runs_in_flight"], errors.Keys.Order());
    }
}
