namespace Sdp.Orchestrator.Api.Auth;

/// <summary>
/// Authorization policy names. Every endpoint needs a valid key unless it allows anonymous callers (probes, the
/// OpenAPI document); these narrow it to a role.
/// </summary>
public static class AuthPolicies
{
    /// <summary>Tenants, keys, audit and the platform's admin endpoints.</summary>
    public const string Admin = ApiRoles.Admin;

    /// <summary>Starting work on behalf of a tenant: creating deployments and scenario runs.</summary>
    public const string Tenant = ApiRoles.Tenant;
}
