using Dapper;
using Npgsql;
using Sdp.Orchestrator.Api.Database;

namespace Sdp.Orchestrator.Api.Quotas;

/// <summary>
/// Locks a tenant's row and counts what it uses of its deployment quotas, for a request that may add one.
/// </summary>
public static class TenantDeploymentUsage
{
    /// <summary>
    /// The tenant's quotas in effect and its usage, counted under its row's lock until the transaction ends, so
    /// concurrent requests of one tenant cannot both take its last slot. The lock and the count are two statements
    /// sent together, in one round trip: in a READ COMMITTED transaction each statement reads a snapshot of its own,
    /// taken when it starts, so the count (the second) sees every deployment committed by whoever held the lock
    /// before. One statement doing both would count from a snapshot taken before it waited for the lock.
    /// </summary>
    public static async Task<(TenantQuotas Quotas, DeploymentUsage Usage)> LockAndCountAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, DateTimeOffset now,
        TenantQuotaOptions defaults, CancellationToken cancellationToken)
    {
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition("""
            SELECT max_live_deployments AS MaxLiveDeployments, max_deployments_per_hour AS MaxDeploymentsPerHour
            FROM platform.tenants WHERE id = @tenantId FOR UPDATE;

            SELECT count(*) FILTER (WHERE state IN ('generating', 'queued', 'provisioning', 'ready', 'cleaning')) AS Live,
                   min(expires_at) FILTER (WHERE state IN ('generating', 'queued', 'provisioning', 'ready', 'cleaning')) AS NextExpiry,
                   count(*) FILTER (WHERE created_at > @hourAgo) AS LastHour,
                   min(created_at) FILTER (WHERE created_at > @hourAgo) AS OldestInHour
            FROM platform.deployments
            WHERE tenant_id = @tenantId
              AND (state IN ('generating', 'queued', 'provisioning', 'ready', 'cleaning') OR created_at > @hourAgo)
            """, new { tenantId, hourAgo = now.AddHours(-1) }, transaction, cancellationToken: cancellationToken));
        var limits = await results.ReadSingleAsync<LimitsRow>();
        var usage = await results.ReadSingleAsync<UsageRow>();
        return (TenantQuotas.Resolve(limits.MaxLiveDeployments, limits.MaxDeploymentsPerHour, null, defaults),
            new DeploymentUsage(usage.Live, usage.NextExpiry.AsUtc(), usage.LastHour, usage.OldestInHour.AsUtc()));
    }

    private sealed record LimitsRow(int? MaxLiveDeployments, int? MaxDeploymentsPerHour);

    private sealed record UsageRow(long Live, DateTime? NextExpiry, long LastHour, DateTime? OldestInHour);
}
