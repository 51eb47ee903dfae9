namespace Sdp.Orchestrator.Api.Auth;

/// <summary>A stored key as authentication needs it: no secret, only what decides whether it may be used.</summary>
public sealed class ApiKeyLookup
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public Guid? TenantId { get; init; }
    public int? RequestsPerMinute { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}
