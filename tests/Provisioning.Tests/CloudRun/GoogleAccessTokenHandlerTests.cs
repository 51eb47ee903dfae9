using System.Net;
using System.Text;
using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sdp.Provisioning.CloudRun;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>The Bearer token from Google credentials, with a fake token source: no network, no real credentials.</summary>
public sealed class GoogleAccessTokenHandlerTests
{
    [Fact]
    public async Task GoogleDefault_adds_a_bearer_token_to_every_request()
    {
        var (client, seen, tokens) = Build("GoogleDefault");

        await client.GetServiceAsync("projects/sdp-local/locations/local/services/sdp-sub-1", CancellationToken.None);

        var authorization = Assert.Single(seen).Headers.Authorization;
        Assert.Equal("Bearer", authorization!.Scheme);
        Assert.Equal("fake-token-1", authorization.Parameter);
        Assert.Equal(1, tokens.Calls);
    }

    [Fact]
    public async Task None_sends_no_credentials_and_never_asks_for_a_token()
    {
        var (client, seen, tokens) = Build("None");

        await client.GetServiceAsync("projects/sdp-local/locations/local/services/sdp-sub-1", CancellationToken.None);

        Assert.Null(Assert.Single(seen).Headers.Authorization);
        Assert.Equal(0, tokens.Calls);
    }

    private static (ICloudRunClient Client, List<HttpRequestMessage> Seen, FakeTokenAccess Tokens) Build(string authentication)
    {
        var seen = new List<HttpRequestMessage>();
        var tokens = new FakeTokenAccess();
        var services = new ServiceCollection().AddLogging();
        // Registered before the target, so it takes the place of Application Default Credentials.
        services.AddSingleton<ITokenAccess>(tokens);
        services.AddCloudRunDeploymentTarget(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CloudRun:Endpoint"] = "https://run.googleapis.com",
            ["CloudRun:Authentication"] = authentication,
        }).Build()).ConfigurePrimaryHttpMessageHandler(() => new RecordingHandler(seen));
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<ICloudRunClient>(), seen, tokens);
    }

    private sealed class FakeTokenAccess : ITokenAccess
    {
        public int Calls;

        public Task<string> GetAccessTokenForRequestAsync(string? authUri = null, CancellationToken cancellationToken = default) =>
            Task.FromResult($"fake-token-{Interlocked.Increment(ref Calls)}");
    }

    private sealed class RecordingHandler(List<HttpRequestMessage> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"name":"projects/sdp-local/locations/local/services/sdp-sub-1"}""", Encoding.UTF8, "application/json"),
            });
        }
    }
}
