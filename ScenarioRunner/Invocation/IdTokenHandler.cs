using System.Net.Http.Headers;

namespace Sdp.ScenarioRunner.Invocation;

/// <summary>
/// Puts the runner's ID token for one candidate service on every request of a run. The audience is that service's URL,
/// so the token is worth nothing anywhere else: the candidate's code sees it, and Cloud Run refuses it at every other
/// service. The token is fetched on the first request and kept for the run; a failed fetch is tried again on the next.
/// </summary>
public sealed class IdTokenHandler(IIdTokenSource source, string audience, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly SemaphoreSlim fetching = new(1, 1);
    private string? token;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await FetchAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        await fetching.WaitAsync(cancellationToken);
        try
        {
            return token ??= await source.GetTokenAsync(audience, cancellationToken);
        }
        finally
        {
            fetching.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            fetching.Dispose();
        }

        base.Dispose(disposing);
    }
}
