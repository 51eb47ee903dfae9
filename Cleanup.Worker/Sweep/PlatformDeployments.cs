using Dapper;
using Npgsql;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>
/// Reads the Orchestrator's record of deployments and standby slots (never writes it: state changes go through the Orchestrator's
/// messages), to tell a live deployment's resources from an orphan's.
/// </summary>
public sealed class PlatformDeployments(NpgsqlDataSource database)
{
    public async Task<IReadOnlyDictionary<long, DeploymentStatus>> GetAsync(IReadOnlyCollection<long> ids,
        CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, DeploymentStatus>();
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeploymentStatus>(new CommandDefinition("""
            SELECT id, state, updated_at AS UpdatedAt, ready_at AS ReadyAt
            FROM platform.deployments WHERE id = ANY(@ids)
            UNION ALL
            SELECT id, CASE state WHEN 'failed' THEN 'failed' WHEN 'removing' THEN 'cleaning' ELSE 'standby' END,
                   updated_at, ready_at
            FROM platform.standby_deployments WHERE id = ANY(@ids)
            """, new { ids = ids.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id);
    }

    /// <summary>
    /// Deployments and standby slots ready since before <paramref name="readyBefore"/>, with the URL each was given.
    /// A slot that was claimed is a deployment by then, ready since its claim.
    /// </summary>
    public async Task<IReadOnlyList<ReadyDeployment>> ReadyBeforeAsync(DateTimeOffset readyBefore,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var ready = await connection.QueryAsync<ReadyDeployment>(new CommandDefinition("""
            SELECT id, endpoint_url AS EndpointUrl, false AS IsStandby
            FROM platform.deployments WHERE state = 'ready' AND ready_at < @readyBefore
            UNION ALL
            SELECT id, endpoint_url, true
            FROM platform.standby_deployments WHERE state = 'ready' AND ready_at < @readyBefore
            """, new { readyBefore }, cancellationToken: cancellationToken));
        return ready.AsList();
    }
}

/// <summary>A ready deployment, or a ready standby slot (<paramref name="IsStandby"/>), and the URL it was given.</summary>
public sealed record ReadyDeployment(long Id, string? EndpointUrl, bool IsStandby);

public sealed record DeploymentStatus(long Id, string State, DateTime UpdatedAt, DateTime? ReadyAt)
{
    /// <summary>
    /// Queued, provisioning, ready or cleaning, or a standby slot (built or being built ahead of demand): its resources
    /// are wanted or being dealt with.
    /// </summary>
    public bool IsLive => State is "queued" or "provisioning" or "ready" or "cleaning" or "standby";
}
