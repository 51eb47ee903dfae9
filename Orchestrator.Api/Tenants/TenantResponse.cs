using Sdp.Orchestrator.Api.Quotas;
using Sdp.Orchestrator.Api.Database;

namespace Sdp.Orchestrator.Api.Tenants;

/// <summary>
/// A tenant: its quotas in effect, which of them are its own, and (for one tenant, not in lists) what it uses of
/// each now.
/// </summary>
public sealed record TenantResponse(Guid Id, string Name, DateTimeOffset CreatedAt, TenantQuotas Quotas,
    QuotaOverrides QuotaOverrides, TenantUsage? Usage = null)
{
    public static TenantResponse From(TenantRecord tenant, TenantQuotaOptions defaults, TenantUsage? usage = null) => new(
        tenant.Id,
        tenant.Name,
        tenant.CreatedAt.AsUtc(),
        TenantQuotas.Resolve(tenant.MaxLiveDeployments, tenant.MaxDeploymentsPerHour, tenant.MaxScenarioRunsInFlight,
            defaults),
        new QuotaOverrides(tenant.MaxLiveDeployments, tenant.MaxDeploymentsPerHour, tenant.MaxScenarioRunsInFlight),
        usage);
}

public sealed record TenantList(IReadOnlyList<TenantResponse> Items);

/// <summary>What a tenant uses now, quota by quota.</summary>
public sealed record TenantUsage(long LiveDeployments, long DeploymentsLastHour, long ScenarioRunsInFlight);
