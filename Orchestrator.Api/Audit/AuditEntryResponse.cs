using Sdp.Orchestrator.Api.Database;

namespace Sdp.Orchestrator.Api.Audit;

/// <summary>One audit entry as <c>GET /api/admin/audit</c> shows it; the actor fields are null for anonymous requests.</summary>
public sealed record AuditEntryResponse(
    long Id,
    DateTimeOffset OccurredAt,
    string RequestId,
    Guid? ActorKeyId,
    string? ActorName,
    string? ActorRole,
    Guid? TenantId,
    string Action,
    string? Target,
    int StatusCode,
    string Outcome,
    string? ClientIp)
{
    public static AuditEntryResponse From(AuditEntry entry) => new(
        entry.Id,
        entry.OccurredAt.AsUtc(),
        entry.RequestId,
        entry.ActorKeyId,
        entry.ActorName,
        entry.ActorRole,
        entry.TenantId,
        entry.Action,
        entry.Target,
        entry.StatusCode,
        entry.Outcome,
        entry.ClientIp);
}
