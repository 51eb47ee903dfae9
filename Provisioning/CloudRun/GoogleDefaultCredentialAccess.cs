using Google.Apis.Auth.OAuth2;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// Application Default Credentials scoped to cloud-platform, loaded on first use (a key file, the metadata server or
/// workload identity, whichever the environment offers). The credential caches tokens and refreshes them; a failed
/// load is tried again on the next request rather than remembered.
/// </summary>
public sealed class GoogleDefaultCredentialAccess : ITokenAccess
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly Lock gate = new();
    private Task<ITokenAccess>? loading;

    public async Task<string> GetAccessTokenForRequestAsync(string? authUri = null, CancellationToken cancellationToken = default)
    {
        Task<ITokenAccess> credential;
        lock (gate)
        {
            if (loading is null || loading.IsFaulted || loading.IsCanceled)
            {
                loading = LoadAsync();
            }

            credential = loading;
        }

        var access = await credential.WaitAsync(cancellationToken);
        return await access.GetAccessTokenForRequestAsync(authUri, cancellationToken);
    }

    private static async Task<ITokenAccess> LoadAsync()
    {
        // Not the caller's token: the load is shared by every request waiting for it.
        var defaultCredential = await GoogleCredential.GetApplicationDefaultAsync(CancellationToken.None);
        return defaultCredential.CreateScoped(CloudPlatformScope);
    }
}
