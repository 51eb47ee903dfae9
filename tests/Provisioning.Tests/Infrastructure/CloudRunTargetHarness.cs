using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Targets;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Provisioning.Tests.Infrastructure;

/// <summary>
/// The Cloud Run deployment target wired as in production (resilience pipeline, pacing, authentication handler)
/// against an in-process Simulator, in a project of its own, with every attempt counted.
/// </summary>
public sealed class CloudRunTargetHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    /// <param name="configureHost">What the host registers before the target, e.g. ServiceDefaults' HTTP client defaults.</param>
    public CloudRunTargetHarness(SimulatorFactory simulator, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureHost = null)
    {
        Project = SimulatorFactory.NewProject();
        var values = new Dictionary<string, string?>
        {
            ["CloudRun:Endpoint"] = "http://simulator",
            ["CloudRun:Project"] = Project,
            ["CloudRun:Region"] = "local",
            ["CloudRun:PollInitialDelay"] = "00:00:00.002",
            ["CloudRun:PollMaxDelay"] = "00:00:00.200",
            ["CloudRun:ServiceDeadline"] = "00:00:30",
            ["CloudRun:RetryBaseDelay"] = "00:00:00.010",
            ["CloudRun:BackPressureDelay"] = "00:00:00.050",
            ["CloudRun:AttemptTimeout"] = "00:00:05",
            ["CloudRun:WritesPerMinute"] = "100000",
            ["CloudRun:WriteBurst"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        configureHost?.Invoke(services);
        Counter = new RequestCounter(simulator.Server.CreateHandler());
        services.AddCloudRunDeploymentTarget(configuration)
            .ConfigurePrimaryHttpMessageHandler(() => Counter)
            // The counter is shared by every handler chain the factory builds; it must outlive them.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        provider = services.BuildServiceProvider();
    }

    public string Project { get; }

    public string Parent => SimulatorFactory.Parent(Project);

    public RequestCounter Counter { get; }

    public IDeploymentTarget Target => provider.GetRequiredService<IDeploymentTarget>();

    public ICloudRunClient Client => provider.GetRequiredService<ICloudRunClient>();

    public string ServiceName(string serviceId) => $"{Parent}/services/{serviceId}";

    public CandidateServiceSpec Spec(long deploymentId) => new(
        deploymentId,
        $"sdp-sub-{deploymentId}",
        "sdp/url-shortener:latest",
        CandidateEnv.Unreachable(deploymentId),
        new Dictionary<string, string> { ["managed-by"] = "sdp" });

    /// <summary>The services left in this harness's project (there should be none after a test).</summary>
    public async Task<IReadOnlyList<string>> RemainingServicesAsync()
    {
        var page = await Client.ListServicesAsync(Parent, 100, null, CancellationToken.None);
        return [.. page.Services.Select(service => service.Name!)];
    }

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
