using System.Text;
using Dapper;
using Npgsql;

namespace Sdp.Orchestrator.Api.Audit;

/// <summary>The platform's audit log: appended to by <see cref="AuditLogMiddleware"/>, read by administrators.</summary>
public sealed class AuditLog(NpgsqlDataSource database)
{
    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO platform.audit_log
                (occurred_at, request_id, actor_key_id, actor_name, actor_role, tenant_id, action, target, status_code,
                 client_ip)
            VALUES (@OccurredAt, @RequestId, @ActorKeyId, @ActorName, @ActorRole, @TenantId, @Action, @Target,
                    @StatusCode, @ClientIp::inet)
            """, record, cancellationToken: cancellationToken));
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
