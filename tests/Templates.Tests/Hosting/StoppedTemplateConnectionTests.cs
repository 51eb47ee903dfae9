using System.Net;
using Npgsql;
using Sdp.Templates.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sdp.Templates.Tests.Hosting;

/// <summary>
/// A stopped template leaves no connection behind. Many candidates live and die in one hosting process (the
/// Simulator), so a connection a stopped app keeps open, or keeps reopening once its user is gone, is paid for by
/// every later candidate.
/// </summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class StoppedTemplateConnectionTests(CandidateStores stores)
{
    /// <summary>How long the servers may take to notice a closed socket.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public static TheoryData<string> ProblemTypes => [.. TemplateCatalog.All.Select(t => t.ProblemType)];

    [Theory]
    [MemberData(nameof(ProblemTypes))]
    public async Task Stopping_a_template_closes_its_database_and_redis_connections(string problemType)
    {
        var app = await stores.StartAsync(TemplateCatalog.Find(problemType)!);
        await using (app)
        {
            // The health check opens both stores' connections.
            using var health = await app.Http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.NotEmpty(await RedisClientsAsync(app.Candidate.Names.RedisUser));
            Assert.True(await DatabaseSessionsAsync(app.Candidate.Names.DatabaseRole) > 0, "the health check opened no database session");
        }

        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var redisClients = await RedisClientsAsync(app.Candidate.Names.RedisUser);
            var databaseSessions = await DatabaseSessionsAsync(app.Candidate.Names.DatabaseRole);
            if (redisClients.Count == 0 && databaseSessions == 0)
            {
                return;
            }

            Assert.True(TimeProvider.System.GetElapsedTime(started) < Settle,
                $"{Settle.TotalSeconds:0} s after the app stopped: {databaseSessions} database sessions of " +
                $"{app.Candidate.Names.DatabaseRole}, Redis clients {string.Join("; ", redisClients)}");
            await Task.Delay(50);
        }
    }

    private async Task<IReadOnlyList<string>> RedisClientsAsync(string user)
    {
        var clients = await stores.AdminRedis.GetServers().First().ClientListAsync();
        return [.. clients.Select(client => client.Raw ?? "").Where(raw => Field(raw, "user") == user)];
    }

    private static string? Field(string raw, string name) =>
        raw.Split(' ').Select(pair => pair.Split('=', 2)).FirstOrDefault(pair => pair[0] == name) is { Length: 2 } found
            ? found[1]
            : null;

    private async Task<long> DatabaseSessionsAsync(string role)
    {
        await using var command = stores.AdminDatabase.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE usename = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
