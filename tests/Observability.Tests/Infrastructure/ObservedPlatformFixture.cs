using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Sdp.Testing;

namespace Sdp.Observability.Tests.Infrastructure;

/// <summary>
/// The whole platform brought up once for the run through the AppHost's own declaration, as a developer runs it:
/// with the Aspire dashboard (telemetry, resources, the deployments view) and Prometheus, on free ports and in a
/// state folder of its own.
/// </summary>
public sealed class ObservedPlatformFixture() : PlatformFixtureBase("observability-tests")
{
    public static readonly string[] Projects =
        ["simulator", "scenario-runner", "orchestrator-api", "provisioner-worker", "cleanup-worker"];

    // The telemetry API's key: Aspire hands AppHost:DashboardApiKey to the dashboard (else it makes one up).
    private readonly string telemetryKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The dashboard's login link (<c>/login?t=…</c>): a credential, for the browser only.</summary>
    public Uri DashboardLoginUrl { get; private set; } = null!;
    public Uri DashboardUrl { get; private set; } = null!;

    /// <summary>The dashboard's telemetry API, with the key this fixture gave the dashboard.</summary>
    public DashboardTelemetry Telemetry { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        DashboardLoginUrl = await App.GetDashboardUrlAsync(timeout.Token);
        DashboardUrl = new Uri(DashboardLoginUrl.GetLeftPart(UriPartial.Authority));
        var dashboard = new HttpClient { BaseAddress = DashboardUrl };
        dashboard.DefaultRequestHeaders.Add("X-API-Key", telemetryKey);
        Telemetry = new DashboardTelemetry(dashboard);
    }

    /// <summary>As a developer runs it: with the Aspire dashboard and Prometheus, on free ports.</summary>
    protected override Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(CancellationToken cancellationToken) =>
        DistributedApplicationTestingBuilder.CreateAsync<global::Projects.AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true },
            [
                $"--Sdp:StateDirectory={StateDirectory}", "--Sdp:OrchestratorPort=0", "--Sdp:SimulatorPort=0",
                "--Prometheus:Enabled=true", "--Prometheus:Port=0", $"--AppHost:DashboardApiKey={telemetryKey}",
            ], cancellationToken);

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.CreateResourceBuilder<ProjectResource>("orchestrator-api").WithoutStandbyPools();

    /// <summary>Deploys a URL shortener through the API and waits (long-poll) until it is ready; returns its id.</summary>
    public async Task<long> DeployAsync(CancellationToken cancellationToken)
    {
        using var response = await Api.PostAsJsonAsync("/api/deployments",
            new { problem_type = "url_shortener", design_text = "observability test" }, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken)).GetProperty("id").GetInt64();
        var ready = await Api.GetFromJsonAsync<JsonElement>(
            $"/api/deployments/{id}?wait_for=ready&timeout_seconds=60", Json, cancellationToken);
        Assert.Equal("ready", ready.GetProperty("state").GetString());
        return id;
    }

    /// <summary>Evaluates <paramref name="read"/> until <paramref name="accept"/> holds for its answer, or the token ends.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> accept, CancellationToken cancellationToken)
    {
        while (true)
        {
            var value = await read();
            if (accept(value))
            {
                return value;
            }

            // Services export spans and logs every second, metrics every second (OTEL_*_DELAY/INTERVAL).
            await Task.Delay(250, cancellationToken);
        }
    }

    public override async Task DisposeAsync()
    {
        Telemetry?.Http.Dispose();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ObservedPlatformCollection : ICollectionFixture<ObservedPlatformFixture>
{
    public const string Name = "observed platform";
}
