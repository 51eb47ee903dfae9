using Dapper;
using Npgsql;

namespace Sdp.Orchestrator.Api.Outbox;

/// <summary>
/// Saves outbox rows inside the caller's transaction, so a message is stored together with the state change it
/// announces or not at all. The caller publishes the returned rows after commit (or leaves them to the relay).
/// </summary>
public static class OutboxWriter
{
    /// <summary>Saves one message.</summary>
    public static async Task<OutboxMessage> SaveAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction,
        T message, DateTimeOffset now, CancellationToken cancellationToken) where T : class
    {
        var saved = await SaveAllAsync(connection, transaction, [OutboxEntry.From(message)], now, cancellationToken);
        return saved[0];
    }

    /// <summary>Saves every entry in one statement, whatever their number, in the order given.</summary>
    public static async Task<IReadOnlyList<OutboxMessage>> SaveAllAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, IReadOnlyList<OutboxEntry> entries, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        // The identity column numbers rows in the order the INSERT receives them, which is the ORDER BY's: the
        // returned ids, sorted, line up with the entries, whatever order RETURNING answers in.
        var ids = (await connection.QueryAsync<long>(new CommandDefinition("""
            INSERT INTO platform.outbox (message_type, payload, created_at, traceparent)
            SELECT entry.message_type, entry.payload::jsonb, @now, entry.traceparent
            FROM unnest(@types::text[], @payloads::text[], @traceparents::text[]) WITH ORDINALITY
                 AS entry(message_type, payload, traceparent, position)
            ORDER BY entry.position
            RETURNING id
            """, new
        {
            types = entries.Select(e => e.MessageType).ToArray(),
            payloads = entries.Select(e => e.Payload).ToArray(),
            traceparents = entries.Select(e => e.Traceparent).ToArray(),
            now,
        }, transaction, cancellationToken: cancellationToken))).Order().ToList();
        return [.. entries.Select((entry, index) => entry.Saved(ids[index]))];
    }
}
