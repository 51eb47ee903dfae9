namespace Sdp.Orchestrator.Api.Audit;

/// <summary>A page of entries, newest first; <c>next_cursor</c> continues it, null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryResponse> Items, string? NextCursor);
