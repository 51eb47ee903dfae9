using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Contracts;
using Sdp.LocalServers;
using Sdp.Testing;
using Sdp.Provisioning.Candidates;
using Sdp.Templates.Catalog.Custom;
using Sdp.Templates.Hosting;
using StackExchange.Redis;

namespace Sdp.Templates.Tests.Infrastructure;

/// <summary>
/// Real PostgreSQL and Redis, started once for the whole test run through Aspire (the AppHost's own LocalServers
/// resources in a <c>DistributedApplicationTestingBuilder</c>, a temporary state folder, free ports), and candidates
/// provisioned on them exactly as the provisioner does: a role and schema running the template's DDL
/// (<see cref="CandidateDatabase"/>) and a Redis ACL user confined to its prefix (<see cref="CandidateRedis"/>). Every
/// test class that needs them joins <see cref="CandidateStoresCollection"/>.
/// </summary>
public sealed class CandidateStores : IAsyncLifetime
{
    public const string PostgresResource = "postgres";
    public const string DatabaseResource = "sdpdb";
    public const string RedisResource = "redis";

    private readonly string stateDirectory =
        Path.Combine(Path.GetTempPath(), "sdp-template-tests-" + Guid.NewGuid().ToString("N")[..8]);

    // Deployment ids are unique within the run: each provisioned candidate gets fresh, empty stores.
    private long lastDeploymentId;
    private DistributedApplication? app;
    private CandidateDatabase? candidateDatabase;
    private CandidateRedis? candidateRedis;

    /// <summary>The platform's own (superuser) connection to the database the candidates live in.</summary>
    public NpgsqlDataSource AdminDatabase { get; private set; } = null!;

    /// <summary>Candidates' roles and schemas, as the provisioner and the cleanup worker handle them.</summary>
    public CandidateDatabase CandidateDatabase
    {
        get
        {
            EnsureStarted();
            return candidateDatabase!;
        }
    }

    /// <summary>The default (admin) Redis user: sees every key, for assertions across prefixes.</summary>
    public ConnectionMultiplexer AdminRedis { get; private set; } = null!;

    /// <summary>Where candidate logs go; warnings and up reach the test output's console.</summary>
    public ILoggerFactory LoggerFactory { get; } = Microsoft.Extensions.Logging.LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Warning)
        .AddSimpleConsole(options => options.SingleLine = true));

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var builder = DistributedApplicationTestingBuilder.Create(
            $"--Sdp:StateDirectory={stateDirectory}", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None");
        var state = LocalStateDirectory.From(builder.Configuration, builder.AppHostDirectory);
        builder.AddLocalPostgres(PostgresResource, state).AddDatabase(DatabaseResource);
        builder.AddLocalRedis(RedisResource, state);
        app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        // The database is healthy once it exists and takes a login; Redis once AUTH and PING answer.
        await app.WaitUntilHealthyAsync([DatabaseResource, RedisResource], timeout.Token);

        AdminDatabase = NpgsqlDataSource.Create((await app.GetConnectionStringAsync(DatabaseResource, timeout.Token))!);
        // Admin mode for the server commands assertions use (CLIENT LIST).
        AdminRedis = await ConnectionMultiplexer.ConnectAsync(
            (await app.GetConnectionStringAsync(RedisResource, timeout.Token))! + ",allowAdmin=true");

        candidateDatabase = new CandidateDatabase(AdminDatabase, Options.Create(new CandidateDatabaseOptions()));
        candidateRedis = new CandidateRedis(AdminRedis);
        // As the provisioner does once at start-up: candidates get no CONNECT/TEMP/public-schema rights.
        await candidateDatabase.RestrictPublicAccessAsync(timeout.Token);
    }

    /// <summary>
    /// Creates a fresh candidate for <paramref name="template"/> (role + schema with the template's tables,
    /// Redis ACL user) and returns the environment the provisioner would give its service.
    /// <paramref name="settings"/> adds template settings (e.g. <c>RATE_LIMITER_DEFAULT_LIMIT</c>). The custom service
    /// serves <paramref name="spec"/> (the chat-system example when none is given): its tables come from the spec and
    /// the spec goes into the environment, as the provisioner does.
    /// </summary>
    public async Task<ProvisionedCandidate> ProvisionAsync(TemplateDescriptor template,
        IReadOnlyDictionary<string, string>? settings = null, CancellationToken cancellationToken = default,
        ServiceSpec? spec = null)
    {
        if (template.RequiresServiceSpec)
        {
            spec ??= ServiceSpecExamples.ChatSystem;
        }

        EnsureStarted();
        var deploymentId = Interlocked.Increment(ref lastDeploymentId);
        var names = new CandidateResourceNames(deploymentId);
        var databasePassword = CandidatePassword.Generate();
        var redisPassword = CandidatePassword.Generate();

        var schemaSql = spec is null ? template.SchemaSql : CustomSchemaSql.For(spec);
        await candidateDatabase!.CreateAsync(names, databasePassword, schemaSql, cancellationToken);
        await candidateRedis!.CreateUserAsync(names, redisPassword, cancellationToken);

        // The same variables CandidateProvisioner writes into the service spec.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CandidateEnvironment.Database] = candidateDatabase.ConnectionStringFor(names, databasePassword),
            [CandidateEnvironment.Redis] = candidateRedis.ConfigurationFor(names, redisPassword),
            [CandidateEnvironment.RedisKeyPrefix] = names.RedisPrefix,
            [CandidateEnvironment.DeploymentId] = deploymentId.ToString(CultureInfo.InvariantCulture),
        };
        if (spec is not null)
        {
            var (name, value) = ServiceSpecEnvironment.For(spec);
            environment[name] = value;
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return new ProvisionedCandidate(template, names, environment);
    }

    /// <summary>
    /// Provisions a candidate and starts <paramref name="template"/> in-process on loopback, as the Simulator
    /// does. <paramref name="configureServices"/> replaces components (see <c>BrokenTemplates</c>).
    /// </summary>
    public async Task<TemplateUnderTest> StartAsync(TemplateDescriptor template,
        IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default, ServiceSpec? spec = null)
    {
        var candidate = await ProvisionAsync(template, settings, cancellationToken, spec);
        return await StartAsync(candidate, configureServices, cancellationToken);
    }

    /// <summary>Starts one more instance of an already provisioned candidate (instances share its stores).</summary>
    public async Task<TemplateUnderTest> StartAsync(ProvisionedCandidate candidate,
        Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        var host = new TemplateHost(LoggerFactory);
        var running = await host.StartAsync(candidate.Template, candidate.Environment, configureServices, cancellationToken);
        return new TemplateUnderTest(candidate, running);
    }

    /// <summary>Every key in Redis right now (SCAN through the admin user), for isolation checks.</summary>
    public async Task<IReadOnlyList<string>> AllRedisKeysAsync(CancellationToken cancellationToken = default)
    {
        var server = AdminRedis.GetServers().First();
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: "*", pageSize: 1000).WithCancellation(cancellationToken))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    /// <summary>Redis's ACL log entries for <paramref name="candidate"/>'s user: every command it was denied.</summary>
    public async Task<IReadOnlyList<string>> DeniedRedisCommandsAsync(ProvisionedCandidate candidate)
    {
        var entries = (RedisResult[])(await AdminRedis.GetDatabase().ExecuteAsync("ACL", "LOG", "1000"))!;
        var denied = new List<string>();
        foreach (var entry in entries)
        {
            var fields = (RedisResult[])entry!;
            var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < fields.Length; i += 2)
            {
                pairs[(string)fields[i]!] = fields[i + 1].ToString();
            }

            if (pairs.GetValueOrDefault("username") == candidate.Names.RedisUser)
            {
                denied.Add($"{pairs.GetValueOrDefault("reason")} {pairs.GetValueOrDefault("object")}");
            }
        }

        return denied;
    }

    public async Task DisposeAsync()
    {
        if (AdminRedis is not null)
        {
            await AdminRedis.DisposeAsync();
        }

        if (AdminDatabase is not null)
        {
            await AdminDatabase.DisposeAsync();
        }

        if (app is not null)
        {
            await app.DisposeAsync();
        }

        LoggerFactory.Dispose();
        try
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a temporary folder left behind is harmless.
        }
    }

    private void EnsureStarted()
    {
        if (candidateDatabase is null || candidateRedis is null)
        {
            throw new InvalidOperationException("The stores start in InitializeAsync; join CandidateStoresCollection.");
        }
    }
}

/// <summary>One test collection for every class using the stores, so PostgreSQL and Redis start once per run.</summary>
[CollectionDefinition(Name)]
public sealed class CandidateStoresCollection : ICollectionFixture<CandidateStores>
{
    public const string Name = "candidate-stores";
}

/// <summary>A provisioned candidate: its resource names and the environment its service gets.</summary>
public sealed record ProvisionedCandidate(
    TemplateDescriptor Template,
    CandidateResourceNames Names,
    IReadOnlyDictionary<string, string> Environment)
{
    public string RedisPrefix => Names.RedisPrefix;
}

/// <summary>A template app running in-process on loopback, and an HTTP client for it. Disposing stops the app.</summary>
public sealed class TemplateUnderTest : IAsyncDisposable
{
    private readonly RunningTemplate running;

    internal TemplateUnderTest(ProvisionedCandidate candidate, RunningTemplate running)
    {
        Candidate = candidate;
        this.running = running;
        // No proxy: the app is on loopback whatever the environment says.
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = running.Url,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public ProvisionedCandidate Candidate { get; }

    public Uri Url => running.Url;

    public HttpClient Http { get; }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await running.DisposeAsync();
    }
}
