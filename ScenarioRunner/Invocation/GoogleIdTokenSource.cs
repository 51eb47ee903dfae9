using Google.Apis.Auth.OAuth2;

namespace Sdp.ScenarioRunner.Invocation;

/// <summary>
/// ID tokens from Application Default Credentials: on Cloud Run or GKE the metadata server signs them for the runner's
/// service account; a service-account key file (GOOGLE_APPLICATION_CREDENTIALS) works too. User credentials cannot
/// mint ID tokens for another audience, so a developer's own login does not.
/// </summary>
public sealed class GoogleIdTokenSource : IIdTokenSource
{
    // Looked up on first use, not at start-up: a runner configured for anonymous calls never reads credentials.
    private readonly Lazy<Task<GoogleCredential>> credential =
        new(() => GoogleCredential.GetApplicationDefaultAsync(CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);

    public async Task<string> GetTokenAsync(string audience, CancellationToken cancellationToken)
    {
        var defaultCredential = await credential.Value.WaitAsync(cancellationToken);
        // A new OidcToken fetches a fresh token (an hour's validity), far longer than any run; the caller keeps it for
        // the run, so tokens are minted once per run rather than once per request.
        var token = await defaultCredential.GetOidcTokenAsync(OidcTokenOptions.FromTargetAudience(audience), cancellationToken);
        return await token.GetAccessTokenAsync(cancellationToken);
    }
}
