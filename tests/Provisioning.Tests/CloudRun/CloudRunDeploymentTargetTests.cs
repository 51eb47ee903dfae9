using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Targets;
using Sdp.Provisioning.Tests.Infrastructure;
using Sdp.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>The Cloud Run client and deployment target against the Simulator.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class CloudRunDeploymentTargetTests(SimulatorFactory simulator, ITestOutputHelper output) : IDisposable
{
    private readonly string project = SimulatorFactory.NewProject();
    private ServiceProvider? provider;

    private IDeploymentTarget Target => Services.GetRequiredService<IDeploymentTarget>();

    private ICloudRunClient Client => Services.GetRequiredService<ICloudRunClient>();

    private ServiceProvider Services => provider ??= BuildServices(useOperationWait: false);

    [Fact]
    public async Task Deploy_returns_a_url_that_answers()
    {
        var deployed = await Target.DeployAsync(Spec(1), CancellationToken.None);

        Assert.Equal("sdp-sub-1", deployed.ServiceId);
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(deployed.Url, "/api/urls"),
            new StringContent("""{"url":"ftp://example.com"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Deploying_the_same_id_twice_adopts_the_running_service()
    {
        var first = await Target.DeployAsync(Spec(2), CancellationToken.None);

        var second = await Target.DeployAsync(Spec(2), CancellationToken.None);

        Assert.Equal(first.Url, second.Url);
        var page = await Client.ListServicesAsync($"projects/{project}/locations/local", null, null, CancellationToken.None);
        Assert.Single(page.Services);
    }

    [Fact]
    public async Task Deploying_an_id_that_runs_a_different_environment_replaces_the_service()
    {
        await Target.DeployAsync(Spec(3), CancellationToken.None);
        var changed = Spec(3) with
        {
            Environment = new Dictionary<string, string>(Spec(3).Environment) { ["SDP_DEPLOYMENT_ID"] = "3-retry" },
        };

        await Target.DeployAsync(changed, CancellationToken.None);

        var service = await Client.GetServiceAsync($"projects/{project}/locations/local/services/sdp-sub-3", CancellationToken.None);
        Assert.Contains(service.Template!.Containers![0].Env!, variable => variable.Value == "3-retry");
        Assert.True(service.IsReady);
    }

    [Fact]
    public async Task Removing_twice_reports_that_the_second_found_nothing()
    {
        var deployed = await Target.DeployAsync(Spec(4), CancellationToken.None);

        Assert.True(await Target.RemoveAsync(deployed.ServiceId, CancellationToken.None));
        Assert.False(await Target.RemoveAsync(deployed.ServiceId, CancellationToken.None));
        var exception = await Assert.ThrowsAsync<CloudRunApiException>(() =>
            Client.GetServiceAsync($"projects/{project}/locations/local/services/sdp-sub-4", CancellationToken.None));
        Assert.Equal(CloudRunApiException.NotFound, exception.Status);
    }

    [Fact]
    public async Task An_unknown_image_fails_with_a_reason()
    {
        var exception = await Assert.ThrowsAsync<DeploymentTargetException>(() =>
            Target.DeployAsync(Spec(5) with { Image = "sdp/no-such-problem:latest" }, CancellationToken.None));

        Assert.Contains("sdp-sub-5", exception.Message);
        Assert.Contains("'sdp/no-such-problem:latest' not found", exception.Message);
    }

    [Fact]
    public async Task A_refused_request_fails_with_the_apis_message()
    {
        var exception = await Assert.ThrowsAsync<DeploymentTargetException>(() =>
            Target.DeployAsync(Spec(6) with { ServiceId = "Bad_Id" }, CancellationToken.None));

        var apiError = Assert.IsType<CloudRunApiException>(exception.InnerException);
        Assert.Equal(CloudRunApiException.InvalidArgument, apiError.Status);
        Assert.Contains("service_id", exception.Message);
    }

    [Fact]
    public async Task Create_answers_ALREADY_EXISTS_through_the_client()
    {
        await Target.DeployAsync(Spec(7), CancellationToken.None);

        var exception = await Assert.ThrowsAsync<CloudRunApiException>(() => Client.CreateServiceAsync(
            $"projects/{project}/locations/local", CandidateServiceDefinition.From(Spec(7)), "sdp-sub-7", CancellationToken.None));

        Assert.Equal(HttpStatusCode.Conflict, exception.StatusCode);
        Assert.Equal(CloudRunApiException.AlreadyExists, exception.Status);
    }

    [Fact]
    public async Task Deploy_with_operation_wait_returns_a_ready_url()
    {
        using var waiting = BuildServices(useOperationWait: true);

        var deployed = await waiting.GetRequiredService<IDeploymentTarget>().DeployAsync(Spec(8), CancellationToken.None);

        using var http = new HttpClient();
        using var alive = await http.GetAsync(new Uri(deployed.Url, "/alive"));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.True(await waiting.GetRequiredService<IDeploymentTarget>().RemoveAsync(deployed.ServiceId, CancellationToken.None));
    }

    // A benchmark: SDP_BENCHMARKS=1 dotnet test tests/Simulator.Tests --filter Measure_deploy_and_remove_through_the_api
    [BenchmarkTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Measure_deploy_and_remove_through_the_api(bool useOperationWait)
    {
        const int Deployments = 30;
        using var measured = BuildServices(useOperationWait);
        var target = measured.GetRequiredService<IDeploymentTarget>();
        // The first deployment in a process pays for JIT; it is reported apart.
        var coldStart = Stopwatch.GetTimestamp();
        await target.RemoveAsync((await target.DeployAsync(Spec(999), CancellationToken.None)).ServiceId, CancellationToken.None);
        var cold = Stopwatch.GetElapsedTime(coldStart).TotalMilliseconds;
        var deploy = new List<double>();
        var remove = new List<double>();
        for (var i = 0; i < Deployments; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var deployed = await target.DeployAsync(Spec(1000 + i), CancellationToken.None);
            deploy.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            started = Stopwatch.GetTimestamp();
            await target.RemoveAsync(deployed.ServiceId, CancellationToken.None);
            remove.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var mode = useOperationWait ? "operations :wait" : "polling from 2 ms, x2 up to 1 s";
        output.WriteLine($"First deploy + remove in the process: {cold:0.0} ms");
        output.WriteLine($"DeployAsync ({mode}), {Deployments} runs: {Percentiles.Describe(deploy)}");
        output.WriteLine($"RemoveAsync ({mode}), {Deployments} runs: {Percentiles.Describe(remove)}");
    }

    public void Dispose() => provider?.Dispose();

    private CandidateServiceSpec Spec(long deploymentId) => new(
        deploymentId,
        $"sdp-sub-{deploymentId}",
        "sdp/url-shortener:latest",
        CandidateEnv.Unreachable(deploymentId),
        new Dictionary<string, string> { ["managed-by"] = "sdp", ["sdp-deployment-id"] = deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private ServiceProvider BuildServices(bool useOperationWait)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CloudRun:Endpoint"] = "http://simulator",
            ["CloudRun:Project"] = project,
            ["CloudRun:Region"] = "local",
            ["CloudRun:PollInitialDelay"] = "00:00:00.002",
            ["CloudRun:PollMaxDelay"] = "00:00:01",
            ["CloudRun:ServiceDeadline"] = "00:00:30",
            ["CloudRun:UseOperationWait"] = useOperationWait ? "true" : "false",
            // The Simulator has no write quota: pacing off in effect, as in local settings.
            ["CloudRun:WritesPerMinute"] = "100000",
            ["CloudRun:WriteBurst"] = "1000",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddCloudRunDeploymentTarget(configuration)
            .ConfigurePrimaryHttpMessageHandler(() => simulator.Server.CreateHandler());
        return services.BuildServiceProvider();
    }
}
