using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Sdp.Hosting;
using Sdp.Testing;

namespace Sdp.Observability.Tests.Infrastructure;

/// <summary>
/// The whole platform brought up once for the run through the AppHost's own declaration, with the host collecting
/// telemetry as it does for a developer; in a state folder of its own.
/// </summary>
public sealed class ObservedPlatformFixture : IAsyncLifetime
{
    private readonly string _stateDirectory =
        Path.Combine(Path.GetTempPath(), "sdp-observability-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static readonly string[] Projects = ["simulator", "orchestrator-api", "provisioner-worker", "cleanup-worker"];

    public DistributedApplication App { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public HttpClient Dashboard { get; private set; } = null!;

    /// <summary>The tenant <see cref="Api"/>'s key belongs to.</summary>
    public Guid TenantId { get; private set; }
    public NpgsqlDataSource PlatformDatabase { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(
            [$"--Sdp:StateDirectory={_stateDirectory}", "--Sdp:OrchestratorPort=0", "--Dashboard:Port=0", "--Prometheus:Enabled=true"],
            timeout.Token);
        builder.CreateResourceBuilder<ProjectResource>("orchestrator-api").WithoutStandbyPools();
        App = await builder.BuildAsync();
        await App.StartAsync(timeout.Token);
        var admin = TenantKeys.Client(App.GetEndpoint("orchestrator-api"), TenantKeys.ReadAdminKey(_stateDirectory));
        (TenantId, var key) = await TenantKeys.CreateTenantAsync(admin, "observability-tests", cancellationToken: timeout.Token);
        admin.Dispose();
        Api = TenantKeys.Client(App.GetEndpoint("orchestrator-api"), key);
        Dashboard = new HttpClient { BaseAddress = App.DashboardUrl };
        PlatformDatabase = NpgsqlDataSource.Create((await App.GetConnectionStringAsync("sdpdb"))!);
    }

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

    /// <summary>Asks the dashboard until <paramref name="accept"/> holds for its JSON answer, or the token ends.</summary>
    public async Task<JsonElement> WaitForDashboardAsync(string path, Func<JsonElement, bool> accept,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await Dashboard.GetAsync(path, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var json = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
                if (accept(json))
                {
                    return json;
                }
            }

            // Exports arrive in batches (spans and logs every second, metrics every five).
            await Task.Delay(250, cancellationToken);
        }
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        Dashboard?.Dispose();
        if (PlatformDatabase is not null)
        {
            await PlatformDatabase.DisposeAsync();
        }

        if (App is not null)
        {
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ObservedPlatformCollection : ICollectionFixture<ObservedPlatformFixture>
{
    public const string Name = "observed platform";
}
