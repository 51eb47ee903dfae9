using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Npgsql;
using StackExchange.Redis;

namespace Sdp.Testing;

/// <summary>
/// The start-up every end-to-end test project shares: the whole platform from the AppHost's own declaration, in a
/// state folder of its own on free ports, healthy; the admin key the AppHost created, a tenant of the project's own
/// and clients for both; the platform's database and Redis. A project's fixture adds only what it changes
/// (<see cref="Configure"/>, or <see cref="CreateBuilderAsync"/> for other AppHost arguments) and what it needs besides.
/// One instance per test project, as a collection fixture: the platform starts once per project.
/// </summary>
public abstract class PlatformFixtureBase : IAsyncLifetime
{
    private readonly TestStateDirectory stateDirectory;
    private readonly string tenantName;
    private string tenantKey = "";

    /// <param name="name">Names the state folder and the fixture's tenant, e.g. <c>platform-tests</c>.</param>
    protected PlatformFixtureBase(string name)
    {
        stateDirectory = new TestStateDirectory("sdp-" + name);
        tenantName = name;
    }

    /// <summary>The API's JSON: snake_case, as the platform speaks it.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The API as the fixture's own tenant.</summary>
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

    /// <summary>The platform's state folder (data, passwords, the admin key).</summary>
    protected string StateDirectory => stateDirectory.Path;

    /// <summary>How long the first start, the tenant's creation included, may take.</summary>
    protected virtual TimeSpan StartTimeout => TimeSpan.FromMinutes(3);

    public virtual async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await StartAsync(timeout.Token);
        (TenantId, tenantKey) = await TenantKeys.CreateTenantAsync(AdminApi, tenantName, cancellationToken: timeout.Token);
        Api = TenantKeys.Client(ApiUrl, tenantKey);
    }

    /// <summary>A client for a new tenant of its own (quotas given as the API's JSON, or high by default).</summary>
    public async Task<(Guid TenantId, HttpClient Api)> NewTenantAsync(string name, object? quotas = null,
        int? requestsPerMinute = 1_000_000)
    {
        var (tenantId, key) = await TenantKeys.CreateTenantAsync(AdminApi, name, quotas, requestsPerMinute);
        return (tenantId, TenantKeys.Client(ApiUrl, key));
    }

    /// <summary>Waits until every resource is Running and Healthy again, failing with what is not.</summary>
    public async Task WaitUntilAllHealthyAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await App.WaitUntilAllHealthyAsync(deadline.Token);
    }

    /// <summary>The AppHost with the test settings of <see cref="PlatformApp.CreateBuilderAsync"/>.</summary>
    protected virtual Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(CancellationToken cancellationToken) =>
        PlatformApp.CreateBuilderAsync(StateDirectory, cancellationToken);

    /// <summary>What the project changes in the application model before it starts (settings of its services).</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    /// <summary>
    /// Stops the whole platform (every process, as Ctrl+C on the AppHost does) and starts it again on the same state
    /// folder. The API and the Simulator come back on other free ports; the clients follow, with the same keys.
    /// </summary>
    protected async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync();
        await StartAsync(cancellationToken);
        Api = TenantKeys.Client(ApiUrl, tenantKey);
    }

    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        stateDirectory.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = await CreateBuilderAsync(cancellationToken);
        Configure(builder);
        App = await builder.BuildAsync(cancellationToken);
        await App.StartHealthyAsync(cancellationToken);

        ApiUrl = App.GetEndpoint("orchestrator-api", "http");
        AdminKey = TenantKeys.ReadAdminKey(StateDirectory);
        AdminApi = TenantKeys.Client(ApiUrl, AdminKey);
        SimulatorUrl = App.GetEndpoint("simulator", "http");
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
}
