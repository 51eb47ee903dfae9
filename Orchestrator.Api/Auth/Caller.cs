using System.Security.Claims;

namespace Sdp.Orchestrator.Api.Auth;

/// <summary>Who made a request: the key, its role, and its tenant (none for admin keys).</summary>
public sealed record Caller(Guid KeyId, string KeyName, string Role, Guid? TenantId)
{
    public const string KeyIdClaim = "sdp:key_id";
    public const string KeyNameClaim = "sdp:key_name";
    public const string TenantIdClaim = "sdp:tenant_id";

    public bool IsAdmin => Role == ApiRoles.Admin;

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(KeyIdClaim, KeyId.ToString()),
            new(KeyNameClaim, KeyName),
            new(ClaimTypes.Role, Role),
        };
        if (TenantId is { } tenant)
        {
            claims.Add(new Claim(TenantIdClaim, tenant.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, KeyNameClaim, ClaimTypes.Role));
    }

    /// <summary>The caller behind an authenticated principal; null for an anonymous one.</summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true
            || !Guid.TryParse(principal.FindFirstValue(KeyIdClaim), out var keyId)
            || principal.FindFirstValue(ClaimTypes.Role) is not { } role)
        {
            return null;
        }

        Guid? tenant = Guid.TryParse(principal.FindFirstValue(TenantIdClaim), out var id) ? id : null;
        return new Caller(keyId, principal.FindFirstValue(KeyNameClaim) ?? "", role, tenant);
    }
}

public static class CallerHttpContextExtensions
{
    public static Caller? GetCaller(this HttpContext context) => Caller.From(context.User);
}
