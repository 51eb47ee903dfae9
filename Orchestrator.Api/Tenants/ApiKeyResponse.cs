using Sdp.Orchestrator.Api.Database;

namespace Sdp.Orchestrator.Api.Tenants;

/// <summary>An API key as the admin API shows it. <see cref="Key"/> is the secret, present only in the creation response.</summary>
public sealed record ApiKeyResponse(Guid Id, string Name, string Role, Guid? TenantId, string? VisiblePrefix,
    int? RequestsPerMinute, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt,
    string? Key = null)
{
    public static ApiKeyResponse From(ApiKeyRecord key, string? secret = null) => new(key.Id, key.Name, key.Role,
        key.TenantId, key.VisiblePrefix, key.RequestsPerMinute, key.CreatedAt.AsUtc(), key.ExpiresAt.AsUtc(),
        key.RevokedAt.AsUtc(), secret);


}

public sealed record ApiKeyList(IReadOnlyList<ApiKeyResponse> Items);
