using System.Globalization;
using System.Text.Json;
using Npgsql;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Sdp.Testing;
using StackExchange.Redis;

namespace Sdp.Platform.Tests.Infrastructure;

/// <summary>
/// The whole platform (PostgreSQL, Redis, RabbitMQ and the four services) brought up once for the test run
/// through the AppHost's own declaration, the way Aspire.Hosting.Testing does.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private readonly string stateDirectory =
        Path.Combine(Path.GetTempPath(), "sdp-platform-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public static readonly TimeSpan ProvisioningDeadline = TimeSpan.FromSeconds(10);

    /// <summary>How long a standby slot may be silent before the prober removes it (a minute by default).</summary>
    public static readonly TimeSpan StandbyDeadAfter = TimeSpan.FromSeconds(5);

    /// <summary>Live deployments the API admits before it answers 503 (set low enough for a test to reach).</summary>
    public const int MaxLiveDeployments = 300;

    public DistributedApplication App { get; private set; } = null!;
    /// <summary>The API as a tenant: the tests' own tenant's key.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>The API with the admin key the AppHost created at first start.</summary>
    public HttpClient AdminApi { get; private set; } = null!;

    public Uri ApiUrl { get; private set; } = null!;
    public string AdminKey { get; private set; } = "";

    /// <summary>The tenant <see cref="Api"/>'s key belongs to.</summary>
    public Guid TenantId { get; private set; }
    public Uri SimulatorUrl { get; private set; } = null!;
    public NpgsqlDataSource PlatformDatabase { get; private set; } = null!;
    public ConnectionMultiplexer Redis { get; private set; } = null!;
    public string MessagingConnectionString { get; private set; } = "";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var builder = await PlatformApp.CreateBuilderAsync(stateDirectory, timeout.Token);
        // A short provisioning deadline, so the deadline test need not wait out the 60 s default.
        builder.CreateResourceBuilder<ProjectResource>("provisioner-worker")
            .WithEnvironment("Provisioning__Deadline", ProvisioningDeadline.ToString("c", CultureInfo.InvariantCulture));
        builder.CreateResourceBuilder<ProjectResource>("orchestrator-api")
            .WithoutStandbyPools()
            // Standby tests size pools themselves; these keep their waits short.
            .WithEnvironment("Standby__CheckInterval", "00:00:00.500")
            .WithEnvironment("Standby__FailureBackoff", "00:00:01")
            .WithEnvironment("Standby__YieldWindow", "00:00:02")
            // The slot prober asks every second and gives a silent slot a few seconds, so a dead slot goes within a test.
            .WithEnvironment("Standby__ProbeInterval", "00:00:01")
            .WithEnvironment("Standby__DeadAfter", StandbyDeadAfter.ToString("c", CultureInfo.InvariantCulture))
            .WithEnvironment("Admission__WhenFull", "Refuse")
            .WithEnvironment("Admission__MaxLiveDeployments", MaxLiveDeployments.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Admission__RetryAfterSeconds", "7");
        App = await builder.BuildAsync();
        await App.StartHealthyAsync(timeout.Token);

        ApiUrl = App.GetEndpoint("orchestrator-api");
        AdminKey = TenantKeys.ReadAdminKey(stateDirectory);
        AdminApi = TenantKeys.Client(ApiUrl, AdminKey);
        (TenantId, var key) = await TenantKeys.CreateTenantAsync(AdminApi, "platform-tests",
            cancellationToken: timeout.Token);
        Api = TenantKeys.Client(ApiUrl, key);
        SimulatorUrl = App.GetEndpoint("simulator");
        PlatformDatabase = NpgsqlDataSource.Create((await App.GetConnectionStringAsync("sdpdb"))!);
        Redis = await ConnectionMultiplexer.ConnectAsync((await App.GetConnectionStringAsync("redis"))!);
        MessagingConnectionString = (await App.GetConnectionStringAsync("messaging"))!;
    }

    /// <summary>A client for a new tenant of its own (quotas given as the API's JSON, or high by default).</summary>
    public async Task<(Guid TenantId, HttpClient Api)> NewTenantAsync(string name, object? quotas = null,
        int? requestsPerMinute = 1_000_000)
    {
        var (tenantId, key) = await TenantKeys.CreateTenantAsync(AdminApi, name, quotas, requestsPerMinute);
        return (tenantId, TenantKeys.Client(ApiUrl, key));
    }

    public async Task DisposeAsync()
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
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
