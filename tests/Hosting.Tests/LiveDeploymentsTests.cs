using System.Net;
using Microsoft.AspNetCore.Http;
using Sdp.Hosting;
using Sdp.Hosting.Dashboard;

namespace Hosting.Tests;

/// <summary>The dashboard's live deployments view calls the Orchestrator with the host's API key.</summary>
public sealed class LiveDeploymentsTests
{
    [Theory]
    [InlineData("sdp_key-from-the-host", "Bearer sdp_key-from-the-host")]
    [InlineData("", null)]
    public async Task The_view_sends_the_configured_key_as_a_bearer_token(string apiKey, string? expectedAuthorization)
    {
        var orchestrator = new FakeResource("orchestrator-api");
        var notifications = new ResourceNotificationService([orchestrator]);
        notifications.Publish(orchestrator.Name, s => s with
        {
            State = KnownResourceStates.Running,
            Endpoints = [new Uri("http://127.0.0.1:5180")],
        });
        var handler = new RecordingHandler();
        using var http = new HttpClient(handler);

        var result = await LiveDeployments.GetAsync(notifications, orchestrator.Name, apiKey, http, 20, CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://127.0.0.1:5180/api/deployments?limit=20", request.RequestUri!.ToString());
        Assert.Equal(expectedAuthorization, request.Headers.Authorization?.ToString());
        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"items":[]}""") });
        }
    }
}
