using System.Diagnostics;
using Dapper;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Audit;

/// <summary>One row of <c>platform.audit_log</c>, as the database holds it.</summary>
public sealed class AuditRow
{
    public long Id { get; init; }
    public DateTime OccurredAt { get; init; }
    public string RequestId { get; init; } = "";
    public Guid? ActorKeyId { get; init; }
    public Guid? TenantId { get; init; }
    public string Action { get; init; } = "";
    public string? Target { get; init; }
    public int StatusCode { get; init; }
    public string Outcome { get; init; } = "";
    public string? ClientIp { get; init; }
}

/// <summary>Reads and writes audit rows directly, and sends API requests whose entries can be found again.</summary>
public sealed class AuditRows(PlatformFixture platform)
{
    private const string Columns = """
        id, occurred_at AS OccurredAt, request_id AS RequestId, actor_key_id AS ActorKeyId, tenant_id AS TenantId,
        action, target, status_code AS StatusCode, outcome, host(client_ip) AS ClientIp
        """;

    /// <summary>
    /// Sends <paramref name="request"/> in a trace of its own (a W3C traceparent header); the API records the trace
    /// id as the entry's request id, so the entry can be found.
    /// </summary>
    public async Task<(HttpResponseMessage Response, string TraceId)> SendTracedAsync(HttpClient client,
        HttpRequestMessage request)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return (await client.SendAsync(request), traceId);
    }

    public async Task<IReadOnlyList<AuditRow>> ForRequestAsync(string requestId)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return (await connection.QueryAsync<AuditRow>(
            $"SELECT {Columns} FROM platform.audit_log WHERE request_id = @requestId ORDER BY id", new { requestId })).AsList();
    }

    public async Task<IReadOnlyList<AuditRow>> ForTargetAsync(string target)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return (await connection.QueryAsync<AuditRow>(
            $"SELECT {Columns} FROM platform.audit_log WHERE target = @target ORDER BY id", new { target })).AsList();
    }

    /// <summary>Inserts an entry as the schema owner, with the time and fields the test chooses.</summary>
    public async Task<long> InsertAsync(DateTimeOffset occurredAt, string action, int statusCode, Guid? tenantId = null,
        Guid? actorKeyId = null, string? target = null)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            INSERT INTO platform.audit_log (occurred_at, request_id, actor_key_id, actor_name, actor_role, tenant_id,
                                            action, target, status_code, client_ip)
            VALUES (@occurredAt, @requestId, @actorKeyId, @actorName, @actorRole, @tenantId, @action, @target,
                    @statusCode, '127.0.0.1')
            RETURNING id
            """, new
        {
            occurredAt,
            requestId = ActivityTraceId.CreateRandom().ToHexString(),
            actorKeyId,
            actorName = actorKeyId is null ? null : "test key",
            actorRole = actorKeyId is null ? null : "tenant",
            tenantId,
            action,
            target,
            statusCode = (short)statusCode,
        });
    }

    /// <summary>The audit retention the API wrote at start-up (Retention:AuditLog).</summary>
    public async Task<TimeSpan> RetentionAsync()
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<TimeSpan>("SELECT keep_for FROM platform.audit_retention");
    }
}
