using System.Net.Http.Headers;
using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// Adds <c>Authorization: Bearer</c> with a Google access token when <c>CloudRun:Authentication</c> is
/// <see cref="CloudRunAuthentication.GoogleDefault"/>; passes requests through unchanged otherwise (the Simulator).
/// It is the innermost handler, so every retry asks for a token again (the credential caches and refreshes it).
/// </summary>
public sealed class GoogleAccessTokenHandler(IOptions<CloudRunOptions> options, IServiceProvider services) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.Value.Authentication == CloudRunAuthentication.GoogleDefault)
        {
            // Resolved only here so a Simulator set-up never looks for Google credentials.
            var tokens = services.GetRequiredService<ITokenAccess>();
            var token = await tokens.GetAccessTokenForRequestAsync(request.RequestUri?.ToString(), cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
