namespace Sdp.Orchestrator.Api.Auth;

/// <summary>What a key may do: <c>tenant</c> keys act on their own tenant's deployments; <c>admin</c> keys manage tenants, keys and the platform.</summary>
public static class ApiRoles
{
    public const string Tenant = "tenant";
    public const string Admin = "admin";

    public static readonly string[] All = [Tenant, Admin];
}
