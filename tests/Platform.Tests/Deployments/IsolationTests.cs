using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Sdp.Platform.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sdp.Platform.Tests.Deployments;

/// <summary>A candidate's own credentials reach its own schema and keys, and nothing else.</summary>
[Collection(PlatformCollection.Name)]
public sealed class IsolationTests(PlatformFixture platform) : IAsyncLifetime
{
    private readonly PlatformClient client = new(platform);
    private DeploymentView first = null!;
    private DeploymentView second = null!;

    public async Task InitializeAsync()
    {
        // Two deployments built at the same time.
        var deployments = await Task.WhenAll(client.DeployReadyAsync(), client.DeployReadyAsync());
        (first, second) = (deployments[0], deployments[1]);
    }

    public async Task DisposeAsync()
    {
        await client.DeleteAsync(first.Id);
        await client.DeleteAsync(second.Id);
        await client.WaitForStateAsync(first.Id, "deleted");
        await client.WaitForStateAsync(second.Id, "deleted");
    }

    [Fact]
    public async Task Parallel_deployments_do_not_see_each_others_data()
    {
        using var firstHttp = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(first.EndpointUrl!) };
        using var secondHttp = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(second.EndpointUrl!) };
        Assert.NotEqual(first.EndpointUrl, second.EndpointUrl);

        using var created = await firstHttp.PostAsJsonAsync("/api/urls", new { url = "https://example.org/only-first" });
        var code = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

        using var own = await firstHttp.GetAsync($"/{code}");
        Assert.Equal(HttpStatusCode.Found, own.StatusCode);
        using var other = await secondHttp.GetAsync($"/{code}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task A_candidates_database_role_reaches_only_its_own_schema()
    {
        var credentials = await client.GetCredentialsAsync(first.Id);
        await using var candidate = NpgsqlDataSource.Create(credentials.Database);
        await using var connection = await candidate.OpenConnectionAsync();

        // Its own schema is its search_path and it owns the template's tables.
        Assert.Equal($"candidate_{first.Id}", await ScalarAsync<string>(connection, "SELECT current_schema()"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM urls WHERE code = 'nope'"));

        await AssertDeniedAsync(connection, "SELECT count(*) FROM platform.deployments");
        await AssertDeniedAsync(connection, $"SELECT count(*) FROM candidate_{second.Id}.urls");
        await AssertDeniedAsync(connection, "CREATE TABLE public.escape (id int)");
        await AssertDeniedAsync(connection, "CREATE TEMP TABLE scratch (id int)");

        var maintenance = new NpgsqlConnectionStringBuilder(credentials.Database) { Database = "postgres", Pooling = false };
        var refused = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var other = new NpgsqlConnection(maintenance.ConnectionString);
            await other.OpenAsync();
        });
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task A_candidates_redis_user_reaches_only_its_own_keys()
    {
        var credentials = await client.GetCredentialsAsync(first.Id);
        Assert.Equal($"sub:{first.Id}:", credentials.KeyPrefix);
        var options = ConfigurationOptions.Parse(credentials.Redis);
        // The client itself refuses admin commands otherwise; the server's refusal is what is under test.
        options.AllowAdmin = true;
        await using var candidate = await ConnectionMultiplexer.ConnectAsync(options);
        var db = candidate.GetDatabase();

        await db.StringSetAsync($"sub:{first.Id}:mine", "ok");
        Assert.Equal("ok", (string?)await db.StringGetAsync($"sub:{first.Id}:mine"));

        var othersKey = $"sub:{second.Id}:secret";
        await platform.Redis.GetDatabase().StringSetAsync(othersKey, "theirs");
        await AssertNoPermAsync(() => db.StringGetAsync(othersKey));
        await AssertNoPermAsync(() => db.StringSetAsync(othersKey, "overwritten"));
        await AssertNoPermAsync(() => db.ExecuteAsync("KEYS", "*"));
        await AssertNoPermAsync(() => db.ExecuteAsync("SCAN", "0"));
        await AssertNoPermAsync(() => db.ExecuteAsync("FLUSHALL"));
        await AssertNoPermAsync(() => db.ExecuteAsync("FLUSHDB"));
        await AssertNoPermAsync(() => db.ExecuteAsync("SELECT", "1"));
        await AssertNoPermAsync(() => db.ExecuteAsync("CONFIG", "GET", "*"));
        await AssertNoPermAsync(() => db.ExecuteAsync("EVAL", "return redis.call('GET', KEYS[1])", "1", othersKey));
        Assert.Equal("theirs", (string?)await platform.Redis.GetDatabase().StringGetAsync(othersKey));
        await platform.Redis.GetDatabase().KeyDeleteAsync(othersKey);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task AssertDeniedAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var denied = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    private static async Task AssertNoPermAsync(Func<Task> command)
    {
        var denied = await Assert.ThrowsAsync<RedisServerException>(command);
        Assert.StartsWith("NOPERM", denied.Message);
    }
}
