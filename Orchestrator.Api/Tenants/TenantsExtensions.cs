namespace Sdp.Orchestrator.Api.Tenants;

public static class TenantsExtensions
{
    public static IHostApplicationBuilder AddTenants(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TenantStore>();
        builder.Services.AddSingleton<ApiKeyStore>();
        return builder;
    }
}
