using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Targets;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>The client reads and writes the documented shapes under Fixtures/.</summary>
public sealed class CloudRunClientFixtureTests
{
    [Fact]
    public void The_create_body_is_the_documented_request()
    {
        var spec = new CandidateServiceSpec(42, "sdp-sub-42", "sdp/url-shortener:latest",
            new Dictionary<string, string>
            {
                ["SDP_DEPLOYMENT_ID"] = "42",
                ["REDIS_KEY_PREFIX"] = "sub:42:",
                ["ConnectionStrings__redis"] = "127.0.0.1:6379,user=sub-42,password=pw",
                ["ConnectionStrings__database"] = "Host=127.0.0.1;Port=5432;Username=candidate_42;Password=pw;Database=sdp;Search Path=candidate_42",
            },
            new Dictionary<string, string> { ["managed-by"] = "sdp", ["sdp-deployment-id"] = "42" });

        var body = JsonSerializer.SerializeToNode(CandidateServiceDefinition.From(spec), CloudRunClient.JsonOptions);

        Assert.True(JsonNode.DeepEquals(Fixture.Object("create-service-request.json"), body), body!.ToJsonString());
    }

    [Fact]
    public void A_service_is_read_with_int64_strings_nanosecond_timestamps_and_conditions()
    {
        var service = JsonSerializer.Deserialize<CloudRunService>(Fixture.Text("service.json"), CloudRunClient.JsonOptions)!;

        Assert.Equal("projects/sdp-local/locations/local/services/sdp-sub-42", service.Name);
        Assert.Equal(1, service.Generation);
        Assert.Equal(1, service.ObservedGeneration);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), service.CreateTime);
        Assert.Equal(CloudRunConditionState.Succeeded, service.TerminalCondition!.State);
        Assert.True(service.IsReady);
        Assert.Equal("https://sdp-sub-42-abcdefghij-ew.a.run.app", service.Uri);
        Assert.Equal("sdp/url-shortener:latest", service.Template!.Containers![0].Image);
        Assert.Equal(2, service.Template.Scaling!.MaxInstanceCount);
    }

    [Fact]
    public void Operations_are_read_running_done_and_failed()
    {
        var running = JsonSerializer.Deserialize<CloudRunOperation>(Fixture.Text("operation-running.json"), CloudRunClient.JsonOptions)!;
        var done = JsonSerializer.Deserialize<CloudRunOperation>(Fixture.Text("operation-done.json"), CloudRunClient.JsonOptions)!;
        var failed = JsonSerializer.Deserialize<CloudRunOperation>(Fixture.Text("operation-failed.json"), CloudRunClient.JsonOptions)!;

        Assert.False(running.Done);
        Assert.True(running.Metadata!.Reconciling);
        Assert.True(done.Done);
        Assert.True(done.Response!.IsReady);
        Assert.True(failed.Done);
        Assert.Equal(5, failed.Error!.Code);
        Assert.Contains("not found", failed.Error.Message);
    }

    [Fact]
    public void A_running_operation_without_done_reads_as_not_done()
    {
        var operation = JsonSerializer.Deserialize<CloudRunOperation>("""{"name": "projects/p/locations/l/operations/x"}""",
            CloudRunClient.JsonOptions)!;

        Assert.False(operation.Done);
    }

    [Theory]
    [InlineData("error-already-exists.json", HttpStatusCode.Conflict, CloudRunApiException.AlreadyExists)]
    [InlineData("error-not-found.json", HttpStatusCode.NotFound, CloudRunApiException.NotFound)]
    [InlineData("error-invalid-argument.json", HttpStatusCode.BadRequest, CloudRunApiException.InvalidArgument)]
    public async Task Google_error_bodies_become_CloudRunApiException(string fixture, HttpStatusCode statusCode, string status)
    {
        var client = ClientAnswering(_ => Respond(statusCode, Fixture.Text(fixture)));

        var exception = await Assert.ThrowsAsync<CloudRunApiException>(() =>
            client.GetServiceAsync("projects/sdp-local/locations/local/services/sdp-sub-42", CancellationToken.None));

        Assert.Equal(statusCode, exception.StatusCode);
        Assert.Equal(status, exception.Status);
        Assert.Equal(Fixture.Object(fixture)["error"]!["message"]!.GetValue<string>(), exception.Message);
        Assert.NotEmpty(exception.Details);
    }

    [Fact]
    public async Task A_non_google_error_body_is_described_by_its_http_status()
    {
        var client = ClientAnswering(_ => Respond(HttpStatusCode.ServiceUnavailable, "<html>upstream gone</html>"));

        var exception = await Assert.ThrowsAsync<CloudRunApiException>(() =>
            client.GetServiceAsync("projects/p/locations/l/services/s", CancellationToken.None));

        Assert.Equal(CloudRunApiException.Unavailable, exception.Status);
        Assert.Contains("upstream gone", exception.Message);
    }

    [Fact]
    public async Task Polling_gets_the_operation_until_it_is_done()
    {
        var gets = 0;
        var client = ClientAnswering(request =>
        {
            Assert.Equal(HttpMethod.Get, request.Method);
            Assert.Equal("/v2/projects/sdp-local/locations/local/operations/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                request.RequestUri!.AbsolutePath);
            return Respond(HttpStatusCode.OK, ++gets < 3 ? Fixture.Text("operation-running.json") : Fixture.Text("operation-done.json"));
        });
        var running = JsonSerializer.Deserialize<CloudRunOperation>(Fixture.Text("operation-running.json"), CloudRunClient.JsonOptions)!;

        var done = await client.PollUntilCompletedAsync(running,
            new CloudRunPollSettings(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4), TimeSpan.FromSeconds(10)),
            CancellationToken.None);

        Assert.True(done.Done);
        Assert.Equal(3, gets);
    }

    [Fact]
    public async Task Polling_gives_up_after_the_timeout()
    {
        var client = ClientAnswering(_ => Respond(HttpStatusCode.OK, Fixture.Text("operation-running.json")));
        var running = JsonSerializer.Deserialize<CloudRunOperation>(Fixture.Text("operation-running.json"), CloudRunClient.JsonOptions)!;

        await Assert.ThrowsAsync<TimeoutException>(() => client.PollUntilCompletedAsync(running,
            new CloudRunPollSettings(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(60)),
            CancellationToken.None));
    }

    private static HttpResponseMessage Respond(HttpStatusCode statusCode, string body) =>
        new(statusCode) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static ICloudRunClient ClientAnswering(Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CloudRun:Endpoint"] = "https://run.googleapis.com" })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddCloudRunDeploymentTarget(configuration)
            .ConfigurePrimaryHttpMessageHandler(() => new StubHandler(answer));
        return services.BuildServiceProvider().GetRequiredService<ICloudRunClient>();
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
