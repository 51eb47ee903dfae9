using Dapper;
using Npgsql;

namespace Sdp.Orchestrator.Api.Tenants;

public sealed class TenantStore(NpgsqlDataSource database, TimeProvider time)
{
    private const string Select = $"SELECT {TenantRecord.Columns} FROM platform.tenants";

    /// <summary>The new tenant; null when the name is taken.</summary>
    public async Task<TenantRecord?> CreateAsync(string name, QuotaOverrides quotas, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TenantRecord>(new CommandDefinition($"""
            INSERT INTO platform.tenants (name, max_live_deployments, max_deployments_per_hour,
                                          max_scenario_runs_in_flight, created_at)
            VALUES (@name, @live, @perHour, @runs, @now)
            ON CONFLICT (name) DO NOTHING
            RETURNING {TenantRecord.Columns}
            """, new
        {
            name,
            live = quotas.MaxLiveDeployments,
            perHour = quotas.MaxDeploymentsPerHour,
            runs = quotas.MaxScenarioRunsInFlight,
            now = time.GetUtcNow(),
        }, cancellationToken: cancellationToken));
    }

    public async Task<TenantRecord?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TenantRecord>(new CommandDefinition(
            $"{Select} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>What the tenant uses now of each quota.</summary>
    public async Task<TenantUsage> GetUsageAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<TenantUsage>(new CommandDefinition("""
            SELECT (SELECT count(*) FROM platform.deployments
                    WHERE tenant_id = @id AND state IN ('generating', 'queued', 'provisioning', 'ready', 'cleaning')) AS LiveDeployments,
                   (SELECT count(*) FROM platform.deployments
                    WHERE tenant_id = @id AND created_at > @hourAgo) AS DeploymentsLastHour,
                   (SELECT count(*) FROM platform.scenario_runs
                    WHERE tenant_id = @id AND state IN ('queued', 'running')) AS ScenarioRunsInFlight
            """, new { id, hourAgo = time.GetUtcNow().AddHours(-1) }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<TenantRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<TenantRecord>(new CommandDefinition(
            $"{Select} ORDER BY name", cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Replaces the tenant's own quotas (null ones follow the defaults); null for an unknown tenant.</summary>
    public async Task<TenantRecord?> SetQuotasAsync(Guid id, QuotaOverrides quotas, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TenantRecord>(new CommandDefinition($"""
            UPDATE platform.tenants
            SET max_live_deployments = @live, max_deployments_per_hour = @perHour, max_scenario_runs_in_flight = @runs
            WHERE id = @id
            RETURNING {TenantRecord.Columns}
            """, new
        {
            id,
            live = quotas.MaxLiveDeployments,
            perHour = quotas.MaxDeploymentsPerHour,
            runs = quotas.MaxScenarioRunsInFlight,
        }, cancellationToken: cancellationToken));
    }
}
