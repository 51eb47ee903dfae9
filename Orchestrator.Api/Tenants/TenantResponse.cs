using Sdp.Orchestrator.Api.Quotas;

namespace Sdp.Orchestrator.Api.Tenants;

/// <summary>A tenant as the admin API shows it: its quotas in effect, and which of them are its own.</summary>
public sealed record TenantResponse(Guid Id, string Name, DateTimeOffset CreatedAt, TenantQuotas Quotas,
    QuotaOverrides QuotaOverrides)
{
    public static TenantResponse From(TenantRecord tenant, TenantQuotaOptions defaults) => new(
        tenant.Id,
        tenant.Name,
        new DateTimeOffset(DateTime.SpecifyKind(tenant.CreatedAt, DateTimeKind.Utc)),
        TenantQuotas.Resolve(tenant.MaxLiveDeployments, tenant.MaxDeploymentsPerHour, tenant.MaxScenarioRunsInFlight,
            defaults),
        new QuotaOverrides(tenant.MaxLiveDeployments, tenant.MaxDeploymentsPerHour, tenant.MaxScenarioRunsInFlight));
}

public sealed record TenantList(IReadOnlyList<TenantResponse> Items);
