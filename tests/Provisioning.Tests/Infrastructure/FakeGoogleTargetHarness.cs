using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.Tests.Infrastructure;

/// <summary>The Cloud Run deployment target wired as in production against <see cref="RecordingGoogleApis"/>.</summary>
public sealed class FakeGoogleTargetHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    public FakeGoogleTargetHarness(IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["CloudRun:Endpoint"] = "https://run.googleapis.com",
            ["CloudRun:Project"] = "sdp-prod",
            ["CloudRun:Region"] = "europe-west1",
            ["CloudRun:PollInitialDelay"] = "00:00:00.002",
            ["CloudRun:WritesPerMinute"] = "100000",
            ["CloudRun:WriteBurst"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        // Both Google clients (Cloud Run and Secret Manager) reach the fake; it outlives every handler chain.
        services.ConfigureHttpClientDefaults(http => http
            .ConfigurePrimaryHttpMessageHandler(() => Google)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan));
        services.AddCloudRunDeploymentTarget(configuration);
        provider = services.BuildServiceProvider();
    }

    public RecordingGoogleApis Google { get; } = new();

    public IDeploymentTarget Target => provider.GetRequiredService<IDeploymentTarget>();

    public CloudRunOptions Options => provider.GetRequiredService<IOptions<CloudRunOptions>>().Value;

    public static CandidateServiceSpec Spec(long deploymentId, string image = "sdp/url-shortener:latest") => new(
        deploymentId,
        $"sdp-sub-{deploymentId}",
        image,
        new Dictionary<string, string>
        {
            ["SDP_DEPLOYMENT_ID"] = deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REDIS_KEY_PREFIX"] = $"sub:{deploymentId}:",
            ["ConnectionStrings__redis"] = $"10.0.0.3:6379,user=sub-{deploymentId},password=redis-secret-{deploymentId}",
            ["ConnectionStrings__database"] =
                $"Host=/cloudsql/sdp-prod:europe-west1:sdp-postgres;Username=candidate_{deploymentId};Password=db-secret-{deploymentId};Database=sdpdb",
        },
        new Dictionary<string, string> { ["managed-by"] = "sdp" });

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
