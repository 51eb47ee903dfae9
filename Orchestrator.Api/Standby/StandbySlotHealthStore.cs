using Dapper;
using Npgsql;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Outbox;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>
/// Whether each ready slot's service answers (<c>unanswered_since</c>), and the removal of slots that are dead or
/// lost: the same path as a slot given up by the refiller (state <c>removing</c> and its CleanupRequested message,
/// saved together; the row goes when the cleanup reports back), so the refiller builds a replacement.
/// </summary>
public sealed class StandbySlotHealthStore(NpgsqlDataSource database, TimeProvider time)
{
    /// <summary>Held while a prober's findings are written, so two replicas' passes never lock the same rows crosswise.</summary>
    private const long RecordLock = 0x5364705072626521;

    /// <summary>Every ready slot, answering or not, with its address and since when it has been silent.</summary>
    public async Task<IReadOnlyList<ReadySlot>> ReadReadyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var slots = await connection.QueryAsync<ReadySlot>(new CommandDefinition("""
            SELECT id, problem_type AS ProblemType, endpoint_url AS EndpointUrl, unanswered_since AS UnansweredSince
            FROM platform.standby_deployments WHERE state = 'ready' ORDER BY id
            """, cancellationToken: cancellationToken));
        return slots.AsList();
    }

    /// <summary>
    /// Writes one pass's verdicts, judged at <paramref name="now"/>. Each change is conditional on the slot being still
    /// ready, so a slot claimed or removed meanwhile is left alone; a removal also on it being still silent since
    /// before <paramref name="now"/> − <paramref name="deadAfter"/> (a claim or another replica may have found it
    /// answering since it was read). The messages are saved with the change; the caller publishes them.
    /// </summary>
    public async Task<StandbyProbeRecord> RecordAsync(IReadOnlyCollection<(long Id, StandbySlotVerdict Verdict)> verdicts,
        DateTimeOffset now, TimeSpan deadAfter, CancellationToken cancellationToken)
    {
        long[] Ids(StandbySlotVerdict verdict) =>
            [.. verdicts.Where(v => v.Verdict == verdict).Select(v => v.Id).Order()];

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)",
            new { key = RecordLock }, transaction, cancellationToken: cancellationToken));

        var answeringAgain = await connection.QueryAsync<long>(new CommandDefinition("""
            UPDATE platform.standby_deployments SET unanswered_since = NULL
            WHERE id = ANY(@ids) AND state = 'ready' AND unanswered_since IS NOT NULL
            RETURNING id
            """, new { ids = Ids(StandbySlotVerdict.Answering) }, transaction, cancellationToken: cancellationToken));
        var silenced = await connection.QueryAsync<long>(new CommandDefinition("""
            UPDATE platform.standby_deployments SET unanswered_since = @now
            WHERE id = ANY(@ids) AND state = 'ready' AND unanswered_since IS NULL
            RETURNING id
            """, new { ids = Ids(StandbySlotVerdict.NotAnswering), now }, transaction,
            cancellationToken: cancellationToken));
        var reason = $"Its service did not answer GET /health for longer than {deadAfter}; removed and replaced.";
        var removed = await RemoveAsync(connection, transaction, Ids(StandbySlotVerdict.Dead), reason,
            StandbySlotHealth.SilentSinceBefore(now, deadAfter), now, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return new StandbyProbeRecord(answeringAgain.AsList(), silenced.AsList(), removed);
    }

    /// <summary>
    /// The cleanup worker found a ready slot without part of its resources (<paramref name="reason"/>): it is removed
    /// and replaced, as nobody's deployment yet. Null when <paramref name="id"/> is no ready slot.
    /// </summary>
    public async Task<OutboxMessage?> RemoveLostAsync(long id, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var removed = await RemoveAsync(connection, transaction, [id], reason, silentBefore: null, now,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed.Count == 0 ? null : removed[0];
    }

    /// <summary>Moves ready slots to removing and saves each one's CleanupRequested; a null silentBefore removes any.</summary>
    private static async Task<IReadOnlyList<OutboxMessage>> RemoveAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, long[] ids, string reason, DateTimeOffset? silentBefore, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
        {
            return [];
        }

        var moved = await connection.QueryAsync<long>(new CommandDefinition("""
            UPDATE platform.standby_deployments SET state = 'removing', error = @reason, updated_at = @now
            WHERE id = ANY(@ids) AND state = 'ready'
              AND (@silentBefore::timestamptz IS NULL OR unanswered_since < @silentBefore)
            RETURNING id
            """, new { ids, reason, silentBefore, now }, transaction, cancellationToken: cancellationToken));
        return await OutboxWriter.SaveAllAsync(connection, transaction,
            [.. moved.Select(id => OutboxEntry.From(new CleanupRequested(id, now)))], now, cancellationToken);
    }
}

/// <summary>A ready slot as the prober reads it (times UTC).</summary>
public sealed record ReadySlot(long Id, string ProblemType, string? EndpointUrl, DateTime? UnansweredSince);

/// <summary>
/// What a pass changed: slots answering again, slots found silent for the first time, and the CleanupRequested
/// messages of the slots removed as dead.
/// </summary>
public sealed record StandbyProbeRecord(IReadOnlyList<long> AnsweringAgain, IReadOnlyList<long> Silenced,
    IReadOnlyList<OutboxMessage> Removals);
