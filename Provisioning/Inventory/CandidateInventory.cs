using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Sdp.Provisioning.Targets;
using StackExchange.Redis;

namespace Sdp.Provisioning.Inventory;

/// <summary>
/// What candidate resources exist right now, wherever they live: schemas and roles named <c>candidate_N</c>,
/// Redis ACL users <c>sub-N</c> and keys <c>sub:N:*</c>, and services labelled as Sdp's on the target.
/// Reads only; Redis keys are found with SCAN, never KEYS.
/// </summary>
public sealed partial class CandidateInventory(
    NpgsqlDataSource platformDatabase,
    IConnectionMultiplexer redis,
    IDeploymentTargetInventory target)
{
    private const int ScanPageSize = 1000;

    public async Task<CandidateResources> ListAsync(CancellationToken cancellationToken)
    {
        var schemas = new SortedSet<long>();
        var roles = new SortedSet<long>();
        await using (var connection = await platformDatabase.OpenConnectionAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT 'schema', nspname FROM pg_namespace WHERE nspname ~ '^candidate_[0-9]+$'
                UNION ALL
                SELECT 'role', rolname FROM pg_roles WHERE rolname ~ '^candidate_[0-9]+$'
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = ParseId(reader.GetString(1)["candidate_".Length..]);
                (reader.GetString(0) == "schema" ? schemas : roles).Add(id);
            }
        }

        var users = new SortedSet<long>();
        var userList = (RedisResult[])(await redis.GetDatabase().ExecuteAsync("ACL", "USERS").WaitAsync(cancellationToken))!;
        foreach (var user in userList.Select(u => (string?)u))
        {
            if (user is not null && RedisUserName().IsMatch(user))
            {
                users.Add(ParseId(user["sub-".Length..]));
            }
        }

        var keys = new SortedDictionary<long, long>();
        var server = redis.GetServers().First(s => !s.IsReplica);
        await foreach (var key in server.KeysAsync(redis.GetDatabase().Database, "sub:*", pageSize: ScanPageSize)
                           .WithCancellation(cancellationToken))
        {
            var match = RedisKeyName().Match(key.ToString());
            if (match.Success)
            {
                var id = ParseId(match.Groups[1].Value);
                keys[id] = keys.GetValueOrDefault(id) + 1;
            }
        }

        var services = await target.ListSdpServicesAsync(cancellationToken);
        return new CandidateResources(schemas, roles, users, keys,
            services.GroupBy(s => s.DeploymentId).ToDictionary(g => g.Key, g => g.First().ServiceId));
    }

    private static long ParseId(string digits) => long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex("^sub-[0-9]+$")]
    private static partial Regex RedisUserName();

    [GeneratedRegex("^sub:([0-9]+):")]
    private static partial Regex RedisKeyName();
}

/// <summary>Deployment ids that own each kind of resource found; key counts and service ids per deployment.</summary>
public sealed record CandidateResources(
    IReadOnlySet<long> Schemas,
    IReadOnlySet<long> Roles,
    IReadOnlySet<long> RedisUsers,
    IReadOnlyDictionary<long, long> RedisKeyCounts,
    IReadOnlyDictionary<long, string> Services)
{
    /// <summary>Every deployment id that owns anything.</summary>
    public IReadOnlySet<long> DeploymentIds => Schemas.Union(Roles).Union(RedisUsers).Union(RedisKeyCounts.Keys)
        .Union(Services.Keys).ToHashSet();
}
