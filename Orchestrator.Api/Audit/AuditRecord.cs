namespace Sdp.Orchestrator.Api.Audit;

/// <summary>What one request adds to the audit log.</summary>
public sealed record AuditRecord(
    DateTimeOffset OccurredAt,
    string RequestId,
    Guid? ActorKeyId,
    string? ActorName,
    string? ActorRole,
    Guid? TenantId,
    string Action,
    string? Target,
    short StatusCode,
    string? ClientIp);
