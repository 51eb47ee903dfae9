using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using StackExchange.Redis;

namespace Sdp.Resilience.Tests.Infrastructure;

/// <summary>Looks at PostgreSQL, Redis and the Simulator's Cloud Run API for anything left of some deployments.</summary>
public sealed class LeftoverProbe(ResilienceFixture platform)
{
    public async Task<IReadOnlyList<string>> FindAsync(IReadOnlyCollection<long> ids)
    {
        var names = ids.Select(id => $"candidate_{id}").ToArray();
        var left = new List<string>();
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync())
        {
            left.AddRange((await connection.QueryAsync<string>(
                "SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname = ANY(@names) " +
                "UNION ALL SELECT 'role ' || rolname FROM pg_roles WHERE rolname = ANY(@names)", new { names })));
        }

        var users = ((RedisResult[])(await platform.Redis.GetDatabase().ExecuteAsync("ACL", "USERS"))!)
            .Select(u => (string?)u).ToHashSet();
        left.AddRange(ids.Where(id => users.Contains($"sub-{id}")).Select(id => $"redis user sub-{id}"));

        var server = platform.Redis.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: "sub:*"))
        {
            if (ids.Any(id => key.ToString().StartsWith($"sub:{id}:", StringComparison.Ordinal)))
            {
                left.Add($"redis key {key}");
            }
        }

        using var http = new HttpClient { BaseAddress = platform.SimulatorUrl };
        var page = await http.GetFromJsonAsync<JsonElement>("/v2/projects/sdp-local/locations/local/services?pageSize=1000");
        if (page.TryGetProperty("services", out var services))
        {
            var serviceIds = ids.Select(id => $"sdp-sub-{id}").ToHashSet();
            left.AddRange(services.EnumerateArray()
                .Select(s => s.GetProperty("name").GetString()!.Split('/')[^1])
                .Where(serviceIds.Contains)
                .Select(s => $"service {s}"));
        }

        return left;
    }
}
