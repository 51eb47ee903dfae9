using Sdp.Orchestrator.Api.Auth;

namespace Sdp.Orchestrator.Api.Tenants;

/// <summary>Body of <c>POST /api/admin/keys</c>: a tenant key names its tenant; an admin key has none.</summary>
public sealed record CreateApiKeyRequest(string? Name, string? Role = null, Guid? TenantId = null,
    DateTimeOffset? ExpiresAt = null, int? RequestsPerMinute = null)
{
    public const int MaxNameLength = 100;

    public string ResolvedRole => Role ?? ApiRoles.Tenant;

    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors["name"] = ["name is required."];
        }
        else if (Name.Trim().Length > MaxNameLength || Name.Any(char.IsControl))
        {
            errors["name"] = [$"name must be at most {MaxNameLength} printable characters."];
        }

        if (!ApiRoles.All.Contains(ResolvedRole))
        {
            errors["role"] = [$"role must be one of: {string.Join(", ", ApiRoles.All)}."];
        }
        else if (ResolvedRole == ApiRoles.Tenant && TenantId is null)
        {
            errors["tenant_id"] = ["tenant_id is required for a tenant key."];
        }
        else if (ResolvedRole == ApiRoles.Admin && TenantId is not null)
        {
            errors["tenant_id"] = ["An admin key belongs to no tenant: leave tenant_id out."];
        }

        if (ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            errors["expires_at"] = ["expires_at must be in the future."];
        }

        if (RequestsPerMinute is { } perMinute && (perMinute < 1 || perMinute > 1_000_000))
        {
            errors["requests_per_minute"] = ["requests_per_minute must be a whole number from 1 to 1000000."];
        }

        return errors;
    }
}
