using System.Globalization;
using System.Text.Json;
using Npgsql;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Sdp.Testing;
using StackExchange.Redis;

namespace Sdp.Resilience.Tests.Infrastructure;

/// <summary>
/// A platform of the fault tests' own (state folder, free ports), since they kill its servers: never shared with
/// other test projects. Deadlines, retries and grace periods are shortened so that recovery happens within a test.
/// </summary>
public sealed class ResilienceFixture : IAsyncLifetime
{
    private readonly string stateDirectory =
        Path.Combine(Path.GetTempPath(), "sdp-resilience-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public static readonly TimeSpan OrphanGracePeriod = TimeSpan.FromSeconds(3);

    /// <summary>The tests' tenant's key, kept across platform restarts (the tenant is in the platform's database).</summary>
    private string tenantKey = "";

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The PostgreSQL server's own pid (the postmaster), from its postmaster.pid.</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(stateDirectory, "postgres", "data", "postmaster.pid")).First(),
        System.Globalization.CultureInfo.InvariantCulture);
    /// <summary>The API as the tests' own tenant.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>The API with the admin key the AppHost created.</summary>
    public HttpClient AdminApi { get; private set; } = null!;
    public Uri SimulatorUrl { get; private set; } = null!;
    public NpgsqlDataSource PlatformDatabase { get; private set; } = null!;
    public ConnectionMultiplexer Redis { get; private set; } = null!;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await StartAsync(timeout.Token);
        var (_, key) = await TenantKeys.CreateTenantAsync(AdminApi, "resilience-tests", cancellationToken: timeout.Token);
        tenantKey = key;
        Api = TenantApi();
    }

    /// <summary>
    /// Stops the whole platform (every process, as Ctrl+C on the AppHost does) and starts it again on the same state
    /// folder, as a developer does every day. The API and the Simulator come back on other free ports; the clients
    /// follow.
    /// </summary>
    public async Task RestartPlatformAsync(CancellationToken cancellationToken)
    {
        await StopAsync();
        await StartAsync(cancellationToken);
        Api = TenantApi();
    }

    private HttpClient TenantApi()
    {
        var api = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = AdminApi.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenantKey);
        return api;
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = await PlatformApp.CreateBuilderAsync(stateDirectory, cancellationToken);
        builder.CreateResourceBuilder<ProjectResource>("orchestrator-api")
            .WithoutStandbyPools()
            .WithEnvironment("Deployments__CheckInterval", Span(TimeSpan.FromSeconds(1)))
            .WithEnvironment("Deployments__QueuedTimeout", Span(TimeSpan.FromSeconds(15)))
            .WithEnvironment("Deployments__ProvisioningTimeout", Span(TimeSpan.FromSeconds(30)))
            .WithEnvironment("Deployments__CleaningTimeout", Span(TimeSpan.FromSeconds(15)))
            .WithEnvironment("Deployments__RetryBackoff", Span(TimeSpan.FromSeconds(1)))
            .WithEnvironment("Deployments__MaxRetryBackoff", Span(TimeSpan.FromSeconds(5)))
            .WithEnvironment("Deployments__MaxAttempts", "8");
        builder.CreateResourceBuilder<ProjectResource>("provisioner-worker")
            .WithEnvironment("Provisioning__Deadline", Span(TimeSpan.FromSeconds(15)));
        builder.CreateResourceBuilder<ProjectResource>("cleanup-worker")
            .WithEnvironment("Cleanup__OrphanGracePeriod", Span(OrphanGracePeriod))
            .WithEnvironment("Cleanup__LostResourceCheckInterval", Span(TimeSpan.FromSeconds(1)));
        App = await builder.BuildAsync(cancellationToken);
        await App.StartHealthyAsync(cancellationToken);

        // No pooling of dead sockets across a PostgreSQL restart: the test's own probes reconnect each time.
        var apiUrl = App.GetEndpoint("orchestrator-api");
        AdminApi = TenantKeys.Client(apiUrl, TenantKeys.ReadAdminKey(stateDirectory));
        SimulatorUrl = App.GetEndpoint("simulator");
        PlatformDatabase = NpgsqlDataSource.Create((await App.GetConnectionStringAsync("sdpdb", cancellationToken))!);
        Redis = await ConnectionMultiplexer.ConnectAsync((await App.GetConnectionStringAsync("redis", cancellationToken))!);
    }

    private async Task StopAsync()
    {
        Api?.Dispose();
        AdminApi?.Dispose();
        if (PlatformDatabase is not null)
        {
            await PlatformDatabase.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>Waits until every resource is Running and Healthy again, failing with what is not.</summary>
    public async Task WaitUntilAllHealthyAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await App.WaitUntilAllHealthyAsync(deadline.Token);
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}

[CollectionDefinition(Name)]
public sealed class ResilienceCollection : ICollectionFixture<ResilienceFixture>
{
    public const string Name = "resilience";
}
