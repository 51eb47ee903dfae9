using Sdp.Orchestrator.Api.Quotas;

namespace Sdp.Orchestrator.Api.Tests.Quotas;

/// <summary>The quota arithmetic of a new deployment, as counted under the tenant's lock.</summary>
public sealed class DeploymentQuotaTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_quota_of_two_admits_a_second_deployment_and_refuses_a_third()
    {
        var quotas = new TenantQuotas(MaxLiveDeployments: 2, MaxDeploymentsPerHour: 100, MaxScenarioRunsInFlight: 4);

        Assert.Null(DeploymentQuota.Check(quotas, Usage(live: 1, lastHour: 1)));
        var refused = DeploymentQuota.Check(quotas, Usage(live: 2, lastHour: 2));

        Assert.Equal(QuotaExceeded.LiveDeployments, refused?.Quota);
        Assert.Equal(2, refused?.Limit);
    }

    [Fact]
    public void Room_under_the_live_quota_frees_when_the_next_live_deployment_expires()
    {
        var quotas = new TenantQuotas(1, 100, 4);

        var refused = DeploymentQuota.Check(quotas, Usage(live: 1, lastHour: 1, nextExpiry: Now.AddMinutes(30)));

        Assert.Equal(Now.AddMinutes(30), refused?.FreesAt);
    }

    [Fact]
    public void The_hourly_quota_frees_an_hour_after_the_oldest_deployment_of_the_hour()
    {
        var quotas = new TenantQuotas(50, MaxDeploymentsPerHour: 3, 4);

        var refused = DeploymentQuota.Check(quotas, Usage(live: 0, lastHour: 3, oldestInHour: Now.AddMinutes(-45)));

        Assert.Equal(QuotaExceeded.DeploymentsPerHour, refused?.Quota);
        Assert.Equal(Now.AddMinutes(15), refused?.FreesAt);
    }

    [Fact]
    public void Deployments_deleted_within_the_hour_still_count_toward_the_hourly_quota_but_not_the_live_one()
    {
        var quotas = new TenantQuotas(MaxLiveDeployments: 5, MaxDeploymentsPerHour: 5, 4);

        Assert.Null(DeploymentQuota.Check(quotas, Usage(live: 0, lastHour: 4)));
        Assert.Equal(QuotaExceeded.DeploymentsPerHour, DeploymentQuota.Check(quotas, Usage(live: 0, lastHour: 5))?.Quota);
    }

    [Fact]
    public void At_both_quotas_the_live_one_is_reported()
    {
        var quotas = new TenantQuotas(2, 2, 4);

        Assert.Equal(QuotaExceeded.LiveDeployments, DeploymentQuota.Check(quotas, Usage(live: 2, lastHour: 2))?.Quota);
    }

    [Fact]
    public void A_tenants_own_quota_replaces_the_default_and_a_missing_one_follows_it()
    {
        var defaults = new TenantQuotaOptions { MaxLiveDeployments = 50, MaxDeploymentsPerHour = 500, MaxScenarioRunsInFlight = 4 };

        Assert.Equal(new TenantQuotas(3, 500, 4), TenantQuotas.Resolve(3, null, null, defaults));
        Assert.Equal(new TenantQuotas(50, 500, 9), TenantQuotas.Resolve(null, null, 9, defaults));
    }

    private static DeploymentUsage Usage(long live, long lastHour, DateTimeOffset? nextExpiry = null,
        DateTimeOffset? oldestInHour = null) => new(live, nextExpiry, lastHour, oldestInHour);
}
