using Microsoft.AspNetCore.Authentication;

namespace Sdp.Orchestrator.Api.Auth;

public static class AuthExtensions
{
    /// <summary>API keys for every endpoint that does not allow anonymous callers, and the two roles' policies.</summary>
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Registered after the migrator (in AddDeployments), so it starts once the tables exist.
        builder.Services.AddHostedService<BootstrapAdminKey>();
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ApiKeyCache>());
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName,
                _ => { });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser().Build())
            .AddPolicy(AuthPolicies.Admin, policy => policy.RequireRole(ApiRoles.Admin))
            .AddPolicy(AuthPolicies.Tenant, policy => policy.RequireRole(ApiRoles.Tenant));
        return builder;
    }

    /// <summary>The caller of an endpoint that requires a key; the fallback policy guarantees there is one.</summary>
    public static Caller RequiredCaller(this HttpContext context) => context.GetCaller()
        ?? throw new InvalidOperationException("An authenticated caller was expected: the endpoint allows anonymous calls.");

    /// <summary>The tenant a caller's queries are limited to; null for admins, who see every tenant.</summary>
    public static Guid? TenantScope(this Caller caller) => caller.IsAdmin ? null : caller.TenantId;
}
