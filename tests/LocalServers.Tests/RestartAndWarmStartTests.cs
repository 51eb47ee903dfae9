using System.Diagnostics;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using LocalServers.Tests.Infrastructure;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace LocalServers.Tests;

/// <summary>
/// What outlives a restart and a whole application: data and passwords in the state folder. And what does not: any
/// process, once the application is disposed.
/// </summary>
public sealed class RestartAndWarmStartTests(ITestOutputHelper output)
{
    private const string RedisUser = "sub-kept";
    private const string RedisUserPassword = "kept-user-password";
    private const string RedisKey = "sub:kept:value";

    // Each server's process and the resources it serves: a database and its login role are PostgreSQL's.
    private static readonly Dictionary<string, string[]> ResourcesOf = new()
    {
        ["postgres"] = ["postgres", "sdpdb", "sdpdb-app"],
        ["redis"] = ["redis"],
        ["messaging"] = ["messaging"],
    };

    private static readonly string[] Servers = [.. ResourcesOf.Values.SelectMany(resources => resources)];

    [Fact]
    public async Task Restarts_and_a_second_application_keep_data_and_passwords_and_a_disposed_one_leaves_nothing_running()
    {
        using var state = new TestStateDirectory();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var clock = Stopwatch.StartNew();

        Dictionary<string, string> first;
        await using (var app = await StartAsync(state.Path, timeout.Token))
        {
            output.WriteLine($"{clock.Elapsed}: first application healthy");
            first = await ConnectionStringsAsync(app, timeout.Token);
            await using (var owner = await Sql.OpenAsync(first["sdpdb"], timeout.Token))
            {
                await owner.ExecuteAsync("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('written before the restart')", timeout.Token);
                // As an application's migrations might leave it: no login, a right it must not have, another password.
                await owner.ExecuteAsync("ALTER ROLE sdp_app NOLOGIN CREATEDB PASSWORD 'not-the-kept-one'", timeout.Token);
            }

            await PublishPersistentAsync(first["messaging"], "written before the restart", timeout.Token);
            await WriteRedisAsync(first["redis"], "written before the restart");
            var processIds = ResourcesOf.Keys.ToDictionary(s => s, app.ProcessId);

            foreach (var (server, resources) in ResourcesOf)
            {
                var restarted = await app.StartNewProcessAsync(server, KnownResourceCommands.RestartCommand, timeout.Token);
                await app.WaitUntilHealthyAsync(resources, checkedSince: restarted, timeout.Token);
            }

            output.WriteLine($"{clock.Elapsed}: restarted and healthy");

            Assert.All(processIds, p => Assert.NotEqual(p.Value, app.ProcessId(p.Key)));
            // Same ports, same passwords: what a running service was given still works.
            Assert.Equal(first, await ConnectionStringsAsync(app, timeout.Token));
            await AssertDataKeptAsync(first, "written before the restart", timeout.Token);
            await AssertRoleSetAgainAsync(first, timeout.Token);
            await using (var redis = await ConnectionMultiplexer.ConnectAsync(first["redis"]))
            {
                await redis.GetDatabase().PingAsync();
            }

            await using (var owner = await Sql.OpenAsync(first["sdpdb"], timeout.Token))
            {
                await owner.ExecuteAsync("ALTER ROLE sdp_app NOLOGIN CREATEDB PASSWORD 'not-the-kept-one'", timeout.Token);
            }

            var ports = app.AllocatedPorts();
            var epmd = app.Port("messaging", "epmd");
            var disposing = clock.Elapsed;
            await app.DisposeAsync();
            output.WriteLine($"{clock.Elapsed}: first application disposed in {clock.Elapsed - disposing}");

            // A clean stop: no process of the state folder, no epmd on its port, no port still open.
            Assert.Empty(ProcessTable.ProcessesUsing(state.Path));
            Assert.DoesNotContain(ProcessTable.ProcessIds(), pid => ProcessTable.CommandLine(pid).Contains($"epmd -port {epmd} ", StringComparison.Ordinal));
            foreach (var port in ports)
            {
                Assert.False(await ProcessTable.IsListeningAsync(port), $"port {port} still accepts connections");
            }

            Assert.Empty(File.ReadAllText(Path.Combine(state.Path, "postgres", "server.pids")));
        }

        await using (var app = await StartAsync(state.Path, timeout.Token))
        {
            output.WriteLine($"{clock.Elapsed}: second application healthy");
            var second = await ConnectionStringsAsync(app, timeout.Token);
            Assert.Equal(first.Keys, second.Keys);
            foreach (var (name, connectionString) in first)
            {
                Assert.Equal(PasswordOf(name, connectionString), PasswordOf(name, second[name]));
            }

            // PostgreSQL and Redis are where candidates' services were told they are: same address, same port.
            Assert.All(new[] { "sdpdb", "sdpdb-app", "redis" }, name => Assert.Equal(first[name], second[name]));

            await AssertDataKeptAsync(second, "written before the restart", timeout.Token);
            await AssertRoleSetAgainAsync(second, timeout.Token);
            await app.DisposeAsync();
            output.WriteLine($"{clock.Elapsed}: second application disposed");
        }

        Assert.Empty(ProcessTable.ProcessesUsing(state.Path));
    }

    private static async Task<DistributedApplication> StartAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var (builder, state) = LocalServersApp.CreateBuilder(stateDirectory);
        builder.AddServers(state);
        var app = await builder.BuildAsync(cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken);
            await app.WaitUntilHealthyAsync(Servers, cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static async Task<Dictionary<string, string>> ConnectionStringsAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var connectionStrings = new Dictionary<string, string>();
        foreach (var name in new[] { "sdpdb", "sdpdb-app", "redis", "messaging" })
        {
            connectionStrings[name] = (await app.GetConnectionStringAsync(name, cancellationToken))!;
        }

        return connectionStrings;
    }

    private static string PasswordOf(string name, string connectionString) => name switch
    {
        "redis" => ConfigurationOptions.Parse(connectionString).Password!,
        "messaging" => new Uri(connectionString).UserInfo.Split(':')[1],
        _ => new NpgsqlConnectionStringBuilder(connectionString).Password!,
    };

    private static async Task PublishPersistentAsync(string connectionString, string message, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(connectionString), AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true,
            publisherConfirmationTrackingEnabled: true), cancellationToken);
        await channel.QueueDeclareAsync("kept", durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.BasicPublishAsync("", "kept", mandatory: true, new BasicProperties { Persistent = true },
            Encoding.UTF8.GetBytes(message), cancellationToken);
    }

    private static async Task AssertDataKeptAsync(Dictionary<string, string> connectionStrings, string expected,
        CancellationToken cancellationToken)
    {
        await using (var owner = await Sql.OpenAsync(connectionStrings["sdpdb"], cancellationToken))
        {
            Assert.Equal(expected, await owner.ScalarAsync<string>("SELECT value FROM kept", cancellationToken));
        }

        var factory = new ConnectionFactory { Uri = new Uri(connectionStrings["messaging"]), AutomaticRecoveryEnabled = false };
        await using (var connection = await factory.CreateConnectionAsync(cancellationToken))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
        {
            // Not acknowledged: it stays in the queue for the next look.
            var message = await channel.BasicGetAsync("kept", autoAck: false, cancellationToken);
            Assert.NotNull(message);
            Assert.Equal(expected, Encoding.UTF8.GetString(message.Body.Span));
        }

        // Redis keeps keys (append-only file) and users (ACL file): a candidate's service logs in as before.
        var redis = ConfigurationOptions.Parse(connectionStrings["redis"]);
        redis.User = RedisUser;
        redis.Password = RedisUserPassword;
        await using var asUser = await ConnectionMultiplexer.ConnectAsync(redis);
        Assert.Equal(expected, (string?)await asUser.GetDatabase().StringGetAsync(RedisKey));
    }

    /// <summary>As the provisioner does: a user confined to its prefix, saved with ACL SAVE, then a key of its own.</summary>
    private static async Task WriteRedisAsync(string connectionString, string value)
    {
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(connectionString))
        {
            var database = admin.GetDatabase();
            await database.ExecuteAsync("ACL", "SETUSER", RedisUser, "reset", "on", ">" + RedisUserPassword, "~sub:kept:*", "+@all");
            await database.ExecuteAsync("ACL", "SAVE");
        }

        var asUser = ConfigurationOptions.Parse(connectionString);
        asUser.User = RedisUser;
        asUser.Password = RedisUserPassword;
        await using var user = await ConnectionMultiplexer.ConnectAsync(asUser);
        Assert.True(await user.GetDatabase().StringSetAsync(RedisKey, value));
    }

    /// <summary>The role was given its kept password and attributes again when the database was ready again.</summary>
    private static async Task AssertRoleSetAgainAsync(Dictionary<string, string> connectionStrings, CancellationToken cancellationToken)
    {
        await using var asRole = await Sql.OpenAsync(connectionStrings["sdpdb-app"], cancellationToken);
        Assert.Equal("sdp_app f", await asRole.ScalarAsync<string>(
            "SELECT concat_ws(' ', current_user, rolcreatedb) FROM pg_roles WHERE rolname = current_user", cancellationToken));
    }
}
