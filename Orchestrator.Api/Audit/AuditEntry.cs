namespace Sdp.Orchestrator.Api.Audit;

/// <summary>One row of <c>platform.audit_log</c>; times are UTC, <see cref="Outcome"/> is derived from the status.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTime OccurredAt { get; init; }
    public required string RequestId { get; init; }
    public Guid? ActorKeyId { get; init; }
    public string? ActorName { get; init; }
    public string? ActorRole { get; init; }
    public Guid? TenantId { get; init; }
    public required string Action { get; init; }
    public string? Target { get; init; }
    public int StatusCode { get; init; }
    public string Outcome { get; init; } = "";
    public string? ClientIp { get; init; }

    public const string Columns = """
        id, occurred_at AS OccurredAt, request_id AS RequestId, actor_key_id AS ActorKeyId, actor_name AS ActorName,
        actor_role AS ActorRole, tenant_id AS TenantId, action, target, status_code::int AS StatusCode, outcome,
        host(client_ip) AS ClientIp
        """;
}
