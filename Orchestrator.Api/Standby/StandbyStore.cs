using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Outbox;
using Sdp.Templates.Catalog;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>
/// The standby slots and the pools' sizes. A slot is a deployment built without a tenant: it is provisioned through
/// the same DeploymentRequested message as any deployment, under an id taken from the deployments' own sequence, and
/// a matching request claims it (<c>DeploymentStore.CreateAsync</c>).
/// </summary>
public sealed class StandbyStore(NpgsqlDataSource database, TimeProvider time, IOptions<StandbyOptions> options)
{
    /// <summary>Held while refilling, so two replicas never build the same pool's missing slots twice.</summary>
    private const long RefillLock = 0x5364705374616E64;

    public async Task<IReadOnlyList<StandbyPoolStatus>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var (counts, overrides) = await ReadPoolsAsync(connection, null, cancellationToken);
        return [.. TemplateCatalog.Prebuildable.Select(t => Status(t.ProblemType, counts, overrides))];
    }

    /// <summary>Sets a pool's size over the configured one; the refiller builds or removes slots to match.</summary>
    public async Task<StandbyPoolStatus> ResizeAsync(string problemType, int size, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO platform.standby_pools (problem_type, size, updated_at) VALUES (@problemType, @size, @now)
            ON CONFLICT (problem_type) DO UPDATE SET size = EXCLUDED.size, updated_at = EXCLUDED.updated_at
            """, new { problemType, size, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
        var (counts, overrides) = await ReadPoolsAsync(connection, null, cancellationToken);
        return Status(problemType, counts, overrides);
    }

    /// <summary>Records a slot as ready to claim; false when <paramref name="provisioned"/> is no standby slot's.</summary>
    public async Task<bool> MarkReadyAsync(DeploymentProvisioned provisioned, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform.standby_deployments
            SET state = 'ready', endpoint_url = @endpointUrl, timings = @timings::jsonb, ready_at = @now, updated_at = @now
            WHERE id = @id AND state = 'provisioning'
            """, new
        {
            id = provisioned.DeploymentId,
            endpointUrl = provisioned.EndpointUrl,
            timings = JsonSerializer.Serialize(provisioned.Timings),
            now,
        }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Records a slot as failed (the refiller replaces it); false when it is no standby slot's.</summary>
    public async Task<bool> MarkFailedAsync(DeploymentFailed failed, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform.standby_deployments SET state = 'failed', error = @reason, updated_at = @now
            WHERE id = @id AND state = 'provisioning'
            """, new { id = failed.DeploymentId, reason = failed.Reason, now = time.GetUtcNow() },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>A removed slot's cleanup is done: its row goes. False when <paramref name="id"/> is no slot being removed.</summary>
    public async Task<bool> MarkRemovedAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM platform.standby_deployments WHERE id = @id AND state = 'removing'", new { id },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// One pass over the pools: gives up slots that failed or never became ready, removes slots beyond a pool's size
    /// (a removed slot stays, as removing, until its cleanup reports back), and requests new ones for what is
    /// missing, within <see cref="StandbyOptions.RefillConcurrency"/>, and only while no tenant's deployment is
    /// waiting and none was asked for in the last <see cref="StandbyOptions.QuietPeriod"/>. The messages are saved
    /// with the change; the caller publishes them.
    /// </summary>
    public async Task<StandbyRefill> RefillAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_xact_lock(@key)", new { key = RefillLock }, transaction,
                cancellationToken: cancellationToken)))
        {
            return new StandbyRefill([], Requested: 0, Removed: 0, Waiting: true);
        }

        var messages = new List<OutboxEntry>();
        // Given up (failed, or never ready), and removals whose cleanup has not reported back within the provisioning
        // timeout (its request may have been lost): cleanup is idempotent, so asking again is safe.
        var stuckBefore = now - settings.ProvisioningTimeout;
        var toRemove = await connection.QueryAsync<long>(new CommandDefinition("""
            UPDATE platform.standby_deployments SET state = 'removing', updated_at = @now
            WHERE (state = 'failed' AND updated_at < @failedBefore)
               OR (state = 'provisioning' AND requested_at < @stuckBefore)
               OR (state = 'removing' AND updated_at < @stuckBefore)
            RETURNING id
            """, new { now, failedBefore = now - settings.FailureBackoff, stuckBefore }, transaction,
            cancellationToken: cancellationToken));
        var removed = 0;
        foreach (var id in toRemove)
        {
            messages.Add(OutboxEntry.From(new CleanupRequested(id, now)));
            removed++;
        }

        // A slot's DeploymentRequested is the same message a tenant's deployment sends.
        var again = await connection.QueryAsync<SlotRequest>(new CommandDefinition($"""
            UPDATE platform.standby_deployments SET updated_at = @now
            WHERE state = 'provisioning' AND updated_at < @requestedBefore
            RETURNING {SlotRequest.Columns}
            """, new { now, requestedBefore = now - settings.RequestAgainAfter },
            transaction, cancellationToken: cancellationToken));
        messages.AddRange(again.Select(slot => slot.Message()));

        var (counts, overrides) = await ReadPoolsAsync(connection, transaction, cancellationToken);
        var yieldToTenants = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT FROM platform.deployments
                           WHERE state IN ('queued', 'provisioning', 'cleaning') AND updated_at > @since)
                OR EXISTS (SELECT FROM platform.deployments WHERE created_at > @quietSince)
            """, new { since = now - settings.YieldWindow, quietSince = now - settings.QuietPeriod }, transaction,
            cancellationToken: cancellationToken));

        var building = counts.Sum(c => c.Provisioning);
        var requested = 0;
        var waiting = false;
        // Not the custom service: its tables come with the request's spec, so no slot can be built before it.
        foreach (var template in TemplateCatalog.Prebuildable)
        {
            var pool = Status(template.ProblemType, counts, overrides);
            // A slot that does not answer keeps its place until the prober removes it (a restarting Cloud Run brings
            // it back): building beside it would overbuild the pool.
            var built = pool.Ready + pool.NotAnswering;
            var surplus = built + pool.Provisioning - pool.Size;
            if (surplus > 0 && built > 0)
            {
                // The silent ones go first.
                var surplusIds = await connection.QueryAsync<long>(new CommandDefinition("""
                    UPDATE platform.standby_deployments SET state = 'removing', updated_at = @now
                    WHERE id IN (SELECT id FROM platform.standby_deployments
                                 WHERE problem_type = @problemType AND state = 'ready'
                                 ORDER BY unanswered_since IS NULL, id DESC LIMIT @surplus FOR UPDATE SKIP LOCKED)
                    RETURNING id
                    """, new { template.ProblemType, surplus, now }, transaction, cancellationToken: cancellationToken));
                foreach (var id in surplusIds)
                {
                    messages.Add(OutboxEntry.From(new CleanupRequested(id, now)));
                    removed++;
                }
            }

            var missing = pool.Size - built - pool.Provisioning;
            if (missing <= 0 || pool.Failed > 0)
            {
                continue;
            }

            var count = Math.Min(missing, settings.RefillConcurrency - building);
            if (yieldToTenants || count <= 0)
            {
                waiting |= yieldToTenants;
                continue;
            }

            var slots = await connection.QueryAsync<SlotRequest>(new CommandDefinition($$"""
                INSERT INTO platform.standby_deployments (id, problem_type, settings, state, requested_at, updated_at)
                SELECT nextval(pg_get_serial_sequence('platform.deployments', 'id')), @problemType, '{}',
                       'provisioning', @now, @now
                FROM generate_series(1, @count)
                RETURNING {{SlotRequest.Columns}}
                """, new { template.ProblemType, count, now }, transaction, cancellationToken: cancellationToken));
            foreach (var slot in slots)
            {
                messages.Add(slot.Message());
                requested++;
            }

            building += count;
        }

        // Saved with the slots' changes, in the same transaction: one statement for the whole pass.
        var saved = await OutboxWriter.SaveAllAsync(connection, transaction, messages, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StandbyRefill(saved, requested, removed, waiting);
    }

    private static async Task<(IReadOnlyList<SlotCounts> Counts, IReadOnlyDictionary<string, int> Overrides)>
        ReadPoolsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var counts = await connection.QueryAsync<SlotCounts>(new CommandDefinition("""
            SELECT problem_type AS ProblemType,
                   count(*) FILTER (WHERE state = 'ready' AND unanswered_since IS NULL)::int AS Ready,
                   count(*) FILTER (WHERE state = 'ready' AND unanswered_since IS NOT NULL)::int AS NotAnswering,
                   count(*) FILTER (WHERE state = 'provisioning')::int AS Provisioning,
                   count(*) FILTER (WHERE state = 'failed')::int AS Failed,
                   count(*) FILTER (WHERE state = 'removing')::int AS Removing
            FROM platform.standby_deployments GROUP BY problem_type
            """, transaction: transaction, cancellationToken: cancellationToken));
        var overrides = await connection.QueryAsync<(string ProblemType, int Size)>(new CommandDefinition(
            "SELECT problem_type, size FROM platform.standby_pools", transaction: transaction,
            cancellationToken: cancellationToken));
        return (counts.AsList(), overrides.ToDictionary(o => o.ProblemType, o => o.Size));
    }

    private StandbyPoolStatus Status(string problemType, IReadOnlyList<SlotCounts> counts,
        IReadOnlyDictionary<string, int> overrides)
    {
        var configured = options.Value.Pools.GetValueOrDefault(problemType);
        var slots = counts.FirstOrDefault(c => c.ProblemType == problemType) ?? new SlotCounts(problemType, 0, 0, 0, 0, 0);
        return new StandbyPoolStatus(problemType, overrides.TryGetValue(problemType, out var size) ? size : configured,
            configured, slots.Ready, slots.NotAnswering, slots.Provisioning, slots.Failed, slots.Removing);
    }

    private sealed record SlotCounts(string ProblemType, int Ready, int NotAnswering, int Provisioning, int Failed,
        int Removing);
}

/// <summary>
/// A pool: the size in effect (an operator's, else the configured one) and its slots by state. <paramref name="Ready"/>
/// slots are built and answered when last asked: a request may claim them. <paramref name="NotAnswering"/> slots are
/// built but their service did not answer when last asked: claims skip them, and they are removed and replaced unless
/// they answer again soon; they count toward the size meanwhile. Removing slots are being torn down (given up, dead,
/// lost, or beyond the size) and count toward nothing.
/// </summary>
public sealed record StandbyPoolStatus(string ProblemType, int Size, int ConfiguredSize, int Ready, int NotAnswering,
    int Provisioning, int Failed, int Removing);

/// <summary>
/// What one refill pass did. <paramref name="Waiting"/>: slots are missing but were not requested because tenants are
/// busy (or another replica holds the pools), so look again soon.
/// </summary>
public sealed record StandbyRefill(IReadOnlyList<OutboxMessage> Messages, int Requested, int Removed, bool Waiting);
