using System.Text;
using Dapper;
using Npgsql;

namespace Sdp.Orchestrator.Api.Audit;

/// <summary>
/// The platform's audit log: appended to by <see cref="AuditLogMiddleware"/>, read by administrators. Appends are
/// group-committed: entries that arrive while a write is running go together in the next one, one statement for all,
/// and each caller still waits until its own entry is stored. A lone entry is written at once.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource database)
{
    private readonly Lock gate = new();
    private List<PendingEntry> waiting = [];
    private bool writing;

    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var entry = new PendingEntry(record);
        bool lead;
        lock (gate)
        {
            waiting.Add(entry);
            lead = !writing;
            writing = true;
        }

        if (lead)
        {
            // Neither the caller's cancellation nor its trace: the write carries other callers' entries too. The
            // command timeout bounds it.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(WriteWaitingAsync, CancellationToken.None);
            }
        }

        return entry.Stored.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteWaitingAsync()
    {
        while (true)
        {
            List<PendingEntry> batch;
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    writing = false;
                    return;
                }

                batch = waiting;
                waiting = [];
            }

            try
            {
                await InsertAsync(batch);
                foreach (var entry in batch)
                {
                    entry.Stored.TrySetResult();
                }
            }
            catch (Exception exception)
            {
                foreach (var entry in batch)
                {
                    entry.Stored.TrySetException(exception);
                }
            }
        }
    }

    private async Task InsertAsync(List<PendingEntry> batch)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO platform.audit_log
                (occurred_at, request_id, actor_key_id, actor_name, actor_role, tenant_id, action, target, status_code,
                 client_ip)
            SELECT occurred_at, request_id, actor_key_id, actor_name, actor_role, tenant_id, action, target, status_code,
                   client_ip::inet
            FROM unnest($1::timestamptz[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::text[],
                        $8::text[], $9::smallint[], $10::text[])
                AS e (occurred_at, request_id, actor_key_id, actor_name, actor_role, tenant_id, action, target,
                      status_code, client_ip)
            """, connection);
        var records = batch.Select(e => e.Record).ToList();
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. records.Select(r => r.OccurredAt)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.RequestId)] });
        command.Parameters.Add(new NpgsqlParameter<Guid?[]> { TypedValue = [.. records.Select(r => r.ActorKeyId)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. records.Select(r => r.ActorName)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. records.Select(r => r.ActorRole)] });
        command.Parameters.Add(new NpgsqlParameter<Guid?[]> { TypedValue = [.. records.Select(r => r.TenantId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.Action)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. records.Select(r => r.Target)] });
        command.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = [.. records.Select(r => r.StatusCode)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. records.Select(r => r.ClientIp)] });
        await command.ExecuteNonQueryAsync();
    }

    private sealed record PendingEntry(AuditRecord Record)
    {
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Newest first; asks for one more than the limit so the caller knows whether a next page exists.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        // Only the filters given become conditions, so each query can use the index for its filter.
        var sql = new StringBuilder($"SELECT {AuditEntry.Columns} FROM platform.audit_log WHERE true");
        if (query.TenantId is not null)
        {
            sql.Append(" AND tenant_id = @TenantId");
        }

        if (query.ActorKeyId is not null)
        {
            sql.Append(" AND actor_key_id = @ActorKeyId");
        }

        if (query.Action is not null)
        {
            sql.Append(" AND action = @Action");
        }

        if (query.StatusCode is not null)
        {
            sql.Append(" AND status_code = @StatusCode");
        }

        if (query.Outcome is not null)
        {
            sql.Append(" AND outcome = @Outcome");
        }

        if (query.From is not null)
        {
            sql.Append(" AND occurred_at >= @From");
        }

        if (query.To is not null)
        {
            sql.Append(" AND occurred_at < @To");
        }

        if (query.BeforeId is not null)
        {
            sql.Append(" AND id < @BeforeId");
        }

        sql.Append(" ORDER BY id DESC LIMIT @Fetch");

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditEntry>(new CommandDefinition(sql.ToString(), new
        {
            query.TenantId,
            query.ActorKeyId,
            query.Action,
            StatusCode = (short?)query.StatusCode,
            query.Outcome,
            query.From,
            query.To,
            query.BeforeId,
            Fetch = query.Limit + 1,
        }, cancellationToken: cancellationToken));
        return rows.AsList();
    }
}
