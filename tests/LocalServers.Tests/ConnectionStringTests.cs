using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LocalServers.Tests.Infrastructure;
using Npgsql;

namespace LocalServers.Tests;

/// <summary>
/// The connection strings the resources give, with the shapes of Aspire's own integrations, worked out from the model
/// alone (no server started): kept passwords in the state folder, endpoints allocated by hand.
/// </summary>
public sealed class ConnectionStringTests : IDisposable
{
    private readonly TestStateDirectory _state = new();

    [Fact]
    public async Task Resources_give_Aspire_shaped_connection_strings_with_their_kept_passwords()
    {
        KeepPassword("postgres", "pw1");
        KeepPassword("sdpdb-app", "pw2");
        KeepPassword("redis", "pw3");
        KeepPassword("messaging", "pw4");
        var (builder, state) = LocalServersApp.CreateBuilder(_state.Path);
        var server = builder.AddLocalPostgres("postgres", state);
        var database = server.AddDatabase("sdpdb");
        var otherDatabase = server.AddDatabase("reports", databaseName: "reporting");
        var role = database.AddLoginRole("sdpdb-app", roleName: "sdp_app", state);
        var redis = builder.AddLocalRedis("redis", state);
        var messaging = builder.AddLocalRabbitMQ("messaging", state);
        Allocate(server.Resource, "tcp", 5432);
        Allocate(redis.Resource, "tcp", 6380);
        Allocate(messaging.Resource, "tcp", 5673);

        Assert.Equal("Host=127.0.0.1;Port=5432;Username=postgres;Password=pw1", await ValueAsync(server.Resource));
        Assert.Equal("Host=127.0.0.1;Port=5432;Username=postgres;Password=pw1;Database=sdpdb", await ValueAsync(database.Resource));
        Assert.Equal("Host=127.0.0.1;Port=5432;Username=postgres;Password=pw1;Database=reporting", await ValueAsync(otherDatabase.Resource));
        Assert.Equal("Host=127.0.0.1;Port=5432;Username=sdp_app;Password=pw2;Database=sdpdb", await ValueAsync(role.Resource));
        Assert.Equal("127.0.0.1:6380,password=pw3", await ValueAsync(redis.Resource));
        Assert.Equal("amqp://sdp:pw4@127.0.0.1:5673", await ValueAsync(messaging.Resource));

        // The server creates the databases by their names in the server, not their resource names.
        Assert.Equal(new Dictionary<string, string> { ["sdpdb"] = "sdpdb", ["reports"] = "reporting" }, server.Resource.Databases);
    }

    [Fact]
    public async Task A_login_roles_connection_string_quotes_what_needs_it()
    {
        KeepPassword("postgres", "pw1");
        KeepPassword("app", "a;b=\"c'd");
        var (builder, state) = LocalServersApp.CreateBuilder(_state.Path);
        var server = builder.AddLocalPostgres("postgres", state);
        var role = server.AddDatabase("sdpdb").AddLoginRole("app", roleName: "app role", state);
        Allocate(server.Resource, "tcp", 5432);

        var parsed = new NpgsqlConnectionStringBuilder(await ValueAsync(role.Resource));

        Assert.Equal(("app role", "a;b=\"c'd", "sdpdb", 5432), (parsed.Username, parsed.Password, parsed.Database, parsed.Port));
    }

    [Fact]
    public void A_role_name_PostgreSQL_would_truncate_is_refused_where_it_is_declared()
    {
        var (builder, state) = LocalServersApp.CreateBuilder(_state.Path);
        var database = builder.AddLocalPostgres("postgres", state).AddDatabase("sdpdb");

        Assert.Throws<ArgumentException>(() => database.AddLoginRole("app", roleName: new string('r', 64), state));
        Assert.Equal(63, database.AddLoginRole("app", roleName: new string('r', 63), state).Resource.RoleName.Length);
    }

    public void Dispose() => _state.Dispose();

    private void KeepPassword(string resourceName, string password)
    {
        Directory.CreateDirectory(Path.Combine(_state.Path, resourceName));
        File.WriteAllText(Path.Combine(_state.Path, resourceName, "password"), password);
    }

    private static void Allocate(IResourceWithEndpoints resource, string endpointName, int port)
    {
        var endpoint = resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == endpointName);
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port);
    }

    private static async Task<string?> ValueAsync(IResourceWithConnectionString resource) =>
        await resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None);
}
