using Dapper;
using StackExchange.Redis;

namespace Sdp.Platform.Tests.Infrastructure;

/// <summary>Looks at the shared PostgreSQL and Redis with the platform's own credentials.</summary>
public sealed class ResourceProbe(PlatformFixture platform)
{
    public async Task<bool> SchemaExistsAsync(long id)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = @name)", new { name = $"candidate_{id}" });
    }

    public async Task<bool> RoleExistsAsync(long id)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = @name)", new { name = $"candidate_{id}" });
    }

    public async Task<bool> RedisUserExistsAsync(long id)
    {
        var users = (RedisResult[])(await platform.Redis.GetDatabase().ExecuteAsync("ACL", "USERS"))!;
        return users.Any(u => (string?)u == $"sub-{id}");
    }

    public async Task<int> RedisKeyCountAsync(long id)
    {
        var server = platform.Redis.GetServers()[0];
        var count = 0;
        await foreach (var _ in server.KeysAsync(pattern: $"sub:{id}:*"))
        {
            count++;
        }

        return count;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
