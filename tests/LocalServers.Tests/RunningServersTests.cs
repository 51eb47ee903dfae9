using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using LocalServers.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using StackExchange.Redis;

namespace LocalServers.Tests;

/// <summary>What the running servers of the shared application look like from outside: the way Aspire's own look.</summary>
[Collection(ServersCollection.Name)]
public sealed partial class RunningServersTests(ServersFixture servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private DistributedApplication App => servers.App;

    [Fact]
    public void Every_resource_is_running_and_healthy()
    {
        foreach (var name in ServersFixture.Resources)
        {
            var snapshot = App.GetSnapshot(name);
            Assert.True(snapshot?.State?.Text == KnownResourceStates.Running && snapshot.HealthStatus == HealthStatus.Healthy,
                $"{name}: {snapshot?.State?.Text}, {snapshot?.HealthStatus}");
        }
    }

    [Fact]
    public async Task PostgreSQL_connection_strings_have_Aspire_shape_and_log_in_on_loopback()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var server = await App.GetConnectionStringAsync("postgres", timeout.Token);
        var database = await App.GetConnectionStringAsync("sdpdb", timeout.Token);

        var match = PostgresServer().Match(server!);
        Assert.True(match.Success, server);
        Assert.Equal(App.Port("postgres", "tcp"), int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(server + ";Database=sdpdb", database);

        await using var connection = await Sql.OpenAsync(database, timeout.Token);
        Assert.Equal("sdpdb postgres 127.0.0.1", await connection.ScalarAsync<string>(
            "SELECT concat_ws(' ', current_database(), current_user, inet_server_addr())", timeout.Token));
        Assert.Equal("127.0.0.1", await connection.ScalarAsync<string>("SHOW listen_addresses", timeout.Token));
        Assert.Equal("scram-sha-256", await connection.ScalarAsync<string>("SHOW password_encryption", timeout.Token));
    }

    [Fact]
    public async Task Redis_connection_string_has_Aspire_shape_and_a_client_uses_it()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var connectionString = await App.GetConnectionStringAsync("redis", timeout.Token);

        var match = Redis().Match(connectionString!);
        Assert.True(match.Success, connectionString);
        var port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(App.Port("redis", "tcp"), port);

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(connectionString!))
        {
            var database = redis.GetDatabase();
            Assert.True(await database.StringSetAsync("local-servers-tests", "value"));
            Assert.Equal("value", (string?)await database.StringGetAsync("local-servers-tests"));
        }

        // Without the password: nothing.
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        await client.GetStream().WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
        Assert.StartsWith("-NOAUTH", await reader.ReadLineAsync(timeout.Token));
    }

    [Fact]
    public async Task RabbitMQ_connection_string_is_Aspire_amqp_uri_and_a_client_uses_it()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var connectionString = await App.GetConnectionStringAsync("messaging", timeout.Token);

        var match = RabbitMQ().Match(connectionString!);
        Assert.True(match.Success, connectionString);
        Assert.Equal(App.Port("messaging", "tcp"), int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));

        var factory = new ConnectionFactory { Uri = new Uri(connectionString!), AutomaticRecoveryEnabled = false };
        await using (var connection = await factory.CreateConnectionAsync(timeout.Token))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: timeout.Token))
        {
            var queue = await channel.QueueDeclareAsync(cancellationToken: timeout.Token);
            await channel.BasicPublishAsync("", queue.QueueName, "hello"u8.ToArray(), timeout.Token);
            var delivered = await WaitForMessageAsync(channel, queue.QueueName, timeout.Token);
            Assert.Equal("hello", Encoding.UTF8.GetString(delivered.Body.Span));
        }

        var wrongPassword = new ConnectionFactory
        {
            Uri = new Uri(connectionString!.Replace(match.Groups["password"].Value, "wrong", StringComparison.Ordinal)),
            AutomaticRecoveryEnabled = false,
        };
        await Assert.ThrowsAsync<BrokerUnreachableException>(() => wrongPassword.CreateConnectionAsync(timeout.Token));
    }

    [Fact]
    public async Task An_executable_that_waits_for_the_database_and_its_login_role_starts_with_their_connection_strings()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var events = servers.Events.ToList();

        // It started only once both children were healthy: they take their parent's state, or it would wait for ever.
        var clientRunning = events.First(e => e.Resource == "client" && e.State == KnownResourceStates.Running).At;
        foreach (var child in new[] { "sdpdb", "sdpdb-app" })
        {
            var healthy = events.First(e => e.Resource == child && e.State == KnownResourceStates.Running && e.Health == HealthStatus.Healthy).At;
            Assert.True(healthy <= clientRunning, $"client ran at {clientRunning}, {child} was healthy at {healthy}");
        }

        Assert.Contains(events, e => e.Resource == "client" && e.State == KnownResourceStates.Waiting);

        // WithReference: Aspire's ConnectionStrings__<name> in its environment, as the services read them.
        var environment = ProcessTable.Environment(App.ProcessId("client"));
        foreach (var name in new[] { "sdpdb", "sdpdb-app", "redis", "messaging" })
        {
            Assert.Equal(await App.GetConnectionStringAsync(name, timeout.Token), environment[$"ConnectionStrings__{name}"]);
        }
    }

    [Fact]
    public async Task The_login_role_logs_in_to_its_database_only_and_may_not_administer()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var owner = new NpgsqlConnectionStringBuilder(await App.GetConnectionStringAsync("sdpdb", timeout.Token));
        var roleConnectionString = await App.GetConnectionStringAsync("sdpdb-app", timeout.Token);

        var match = PostgresRole().Match(roleConnectionString!);
        Assert.True(match.Success, roleConnectionString);
        var role = new NpgsqlConnectionStringBuilder(roleConnectionString);
        Assert.Equal((owner.Host, owner.Port), (role.Host, role.Port));
        Assert.NotEqual(owner.Password, role.Password);

        await using (var asRole = await Sql.OpenAsync(roleConnectionString, timeout.Token))
        {
            Assert.Equal("sdp_app sdpdb", await asRole.ScalarAsync<string>("SELECT concat_ws(' ', current_user, current_database())", timeout.Token));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege,
                await Sql.RefusalAsync(() => asRole.ExecuteAsync("CREATE DATABASE made_by_the_app", timeout.Token)));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege,
                await Sql.RefusalAsync(() => asRole.ExecuteAsync("CREATE ROLE made_by_the_app", timeout.Token)));
        }

        await using (var asOwner = await Sql.OpenAsync(owner.ConnectionString, timeout.Token))
        {
            Assert.Equal("super=f createdb=f createrole=f replication=f bypassrls=f login=t", await asOwner.ScalarAsync<string>(
                """
                SELECT format('super=%s createdb=%s createrole=%s replication=%s bypassrls=%s login=%s',
                    rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin)
                FROM pg_roles WHERE rolname = 'sdp_app'
                """, timeout.Token));
        }

        // The server's other databases are not its own.
        foreach (var other in new[] { "postgres", "template1" })
        {
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await Sql.RefusalAsync(async () =>
            {
                await using var connection = await Sql.OpenAsync(new NpgsqlConnectionStringBuilder(roleConnectionString) { Database = other }.ConnectionString,
                    timeout.Token);
            }));
        }
    }

    [Fact]
    public async Task Passwords_are_kept_owner_only_in_the_state_folder_and_never_on_a_command_line()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var passwords = new List<string>();
        foreach (var name in new[] { "postgres", "sdpdb-app", "redis", "messaging" })
        {
            var path = Path.Combine(servers.StateDirectory, name, "password");
            Assert.Matches("^[A-Za-z0-9]{24}$", File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            passwords.Add(File.ReadAllText(path));
        }

        Assert.Equal(passwords.Count, passwords.Distinct().Count());
        Assert.Contains(passwords[0], await App.GetConnectionStringAsync("sdpdb", timeout.Token));

        // Servers get theirs from files only they can read; initdb's is gone once used.
        foreach (var file in new[] { "redis/users.acl", "messaging/rabbitmq.conf" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(servers.StateDirectory, file)));
        }

        Assert.False(File.Exists(Path.Combine(servers.StateDirectory, "postgres", "initdb-password")));
        var commandLines = ProcessTable.ProcessIds().Select(ProcessTable.CommandLine).ToList();
        Assert.All(passwords, password => Assert.DoesNotContain(commandLines, line => line.Contains(password, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Prometheus_listens_on_loopback_with_the_rules_file()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var port = App.Port("prometheus", "http");

        using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/-/ready"), timeout.Token);
        Assert.True(ready.IsSuccessStatusCode, $"/-/ready answered {(int)ready.StatusCode}");
        var flags = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/api/v1/status/flags"), timeout.Token);
        Assert.Contains($"\"web.listen-address\":\"127.0.0.1:{port}\"", flags);
        var configuration = await File.ReadAllTextAsync(Path.Combine(servers.StateDirectory, "prometheus", "prometheus.yml"), timeout.Token);
        Assert.Contains($"- '{servers.RulesFile}'", configuration);
    }

    private static async Task<BasicGetResult> WaitForMessageAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await channel.BasicGetAsync(queue, autoAck: true, cancellationToken) is { } message)
            {
                return message;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    [GeneratedRegex(@"^Host=127\.0\.0\.1;Port=(?<port>\d+);Username=postgres;Password=(?<password>[A-Za-z0-9]{24})$")]
    private static partial Regex PostgresServer();

    [GeneratedRegex(@"^Host=127\.0\.0\.1;Port=\d+;Username=sdp_app;Password=[A-Za-z0-9]{24};Database=sdpdb$")]
    private static partial Regex PostgresRole();

    [GeneratedRegex(@"^127\.0\.0\.1:(?<port>\d+),password=(?<password>[A-Za-z0-9]{24})$")]
    private static partial Regex Redis();

    [GeneratedRegex(@"^amqp://sdp:(?<password>[A-Za-z0-9]{24})@127\.0\.0\.1:(?<port>\d+)$")]
    private static partial Regex RabbitMQ();
}
