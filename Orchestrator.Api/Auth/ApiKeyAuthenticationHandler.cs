using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Sdp.Orchestrator.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> against the stored
/// hashes, and answers 401/403 as problem details that say what is wrong without echoing the key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache keys,
    TimeProvider time,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string RequestsPerMinuteClaim = "sdp:requests_per_minute";
    private const string ApiKeyHeader = "X-Api-Key";

    // Longer than any key this API hands out: refuse before hashing megabytes.
    private const int MaxSecretLength = 256;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization;
        var apiKey = Request.Headers[ApiKeyHeader];
        if (authorization.Count == 0 && apiKey.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (authorization.Count + apiKey.Count > 1)
        {
            return AuthenticateResult.Fail("Send one key, in either Authorization or X-Api-Key, not both.");
        }

        string? secret;
        if (authorization.Count == 1)
        {
            var value = authorization[0] ?? "";
            secret = value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : null;
            if (string.IsNullOrEmpty(secret))
            {
                return AuthenticateResult.Fail("The Authorization header must be 'Bearer <API key>'.");
            }
        }
        else
        {
            secret = apiKey[0]?.Trim();
        }

        if (string.IsNullOrEmpty(secret) || secret.Length > MaxSecretLength
            || !secret.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail($"That is not an Sdp API key (keys start with '{ApiKeySecret.Prefix}').");
        }

        var key = await keys.FindAsync(ApiKeySecret.Hash(secret), Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        if (key.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The API key was revoked.");
        }

        if (key.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow())
        {
            return AuthenticateResult.Fail($"The API key expired at {expiresAt:O}.");
        }

        var principal = new Caller(key.Id, key.Name, key.Role, key.TenantId).ToPrincipal(SchemeName);
        if (key.RequestsPerMinute is { } perMinute)
        {
            ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaim(
                new System.Security.Claims.Claim(RequestsPerMinuteClaim,
                    perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync("API key required", result.Failure?.Message
            ?? "This endpoint needs an API key: send 'Authorization: Bearer <API key>' or 'X-Api-Key: <API key>'.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Caller.From(Context.User)?.Role ?? "unknown";
        await WriteProblemAsync("Not allowed for this key",
            role == ApiRoles.Admin
                ? "Admin keys manage tenants, keys and the platform; deployments and scenario runs are started with a tenant key."
                : "This needs an admin key.");
    }

    private async Task WriteProblemAsync(string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
        });
}
