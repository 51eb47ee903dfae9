namespace Sdp.Orchestrator.Api.Tenants;

/// <summary>One row of <c>platform.api_keys</c> without its hash.</summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public Guid? TenantId { get; init; }
    public string? VisiblePrefix { get; init; }
    public int? RequestsPerMinute { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? ExpiresAt { get; init; }
    public DateTime? RevokedAt { get; init; }

    public const string Columns = """
        id, name, role, tenant_id AS TenantId, visible_prefix AS VisiblePrefix,
        requests_per_minute AS RequestsPerMinute, created_at AS CreatedAt, expires_at AS ExpiresAt,
        revoked_at AS RevokedAt
        """;
}
