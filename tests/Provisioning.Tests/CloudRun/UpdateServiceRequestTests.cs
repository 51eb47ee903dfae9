using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Targets;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>UpdateServiceAsync sends the documented PATCH: method, path with updateMask and allowMissing, and body.</summary>
public sealed class UpdateServiceRequestTests
{
    [Fact]
    public async Task The_update_request_is_the_documented_patch()
    {
        HttpMethod? method = null;
        string? pathAndQuery = null;
        JsonNode? body = null;
        var services = new ServiceCollection().AddLogging();
        services.AddCloudRunDeploymentTarget(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CloudRun:Endpoint"] = "https://run.googleapis.com",
        }).Build()).ConfigurePrimaryHttpMessageHandler(() => new CapturingHandler(async request =>
        {
            method = request.Method;
            pathAndQuery = request.RequestUri!.PathAndQuery;
            body = JsonNode.Parse(await request.Content!.ReadAsStringAsync());
        }));
        await using var provider = services.BuildServiceProvider();
        var spec = new CandidateServiceSpec(42, "sdp-sub-42", "sdp/url-shortener:latest",
            new Dictionary<string, string> { ["SDP_DEPLOYMENT_ID"] = "42" },
            new Dictionary<string, string> { ["managed-by"] = "sdp", ["sdp-deployment-id"] = "42" });
        var service = CandidateServiceDefinition.From(spec) with { Name = "projects/sdp-local/locations/local/services/sdp-sub-42" };

        var operation = await provider.GetRequiredService<ICloudRunClient>()
            .UpdateServiceAsync(service, ["labels", "template"], allowMissing: true, CancellationToken.None);

        var expected = Fixture.Object("update-service-request.json");
        Assert.Equal(expected["method"]!.GetValue<string>(), method!.Method);
        Assert.Equal(expected["path"]!.GetValue<string>(), pathAndQuery);
        Assert.True(JsonNode.DeepEquals(expected["body"], body), body!.ToJsonString());
        Assert.False(operation.Done);
    }

    private sealed class CapturingHandler(Func<HttpRequestMessage, Task> capture) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await capture(request);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"name":"projects/sdp-local/locations/local/operations/op-1"}""", Encoding.UTF8, "application/json"),
            };
        }
    }
}
