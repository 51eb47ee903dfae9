using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Sdp.Contracts;

namespace Sdp.Provisioning.Candidates;

/// <summary>
/// A candidate's isolated corner of the shared Redis: an ACL user that may touch only keys and channels
/// under its own prefix, with every command that could see or wipe beyond it denied.
/// </summary>
public sealed class CandidateRedis(IConnectionMultiplexer redis, IOptions<CandidateRedisOptions>? options = null)
{
    // Key patterns do not restrict these, and SELECT/MOVE/COPY would let a candidate write into a database
    // that prefix cleanup never looks at; DBSIZE leaks the server's key count.
    private static readonly string[] DeniedCommands =
        ["-@admin", "-@dangerous", "-keys", "-scan", "-randomkey", "-flushall", "-flushdb", "-swapdb",
         "-select", "-move", "-copy", "-dbsize"];

    private const int UnlinkBatchSize = 500;

    /// <summary>Creates (or resets) the ACL user.</summary>
    public async Task CreateUserAsync(CandidateResourceNames names, string password,
        CancellationToken cancellationToken)
    {
        // "#<sha256>" sets the password by its hash, so the plain password never crosses the wire.
        var passwordHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
        object[] arguments =
        [
            "SETUSER", names.RedisUser, "reset", "on", "#" + passwordHash,
            "~" + names.RedisPrefix + "*", "&" + names.RedisPrefix + "*", "+@all", .. DeniedCommands,
        ];
        await redis.GetDatabase().ExecuteAsync("ACL", arguments).WaitAsync(cancellationToken);
        await SaveUsersAsync(cancellationToken);
    }

    /// <summary>The configuration string the candidate's service uses: its own ACL user and password.</summary>
    public string ConfigurationFor(CandidateResourceNames names, string password)
    {
        var settings = options?.Value ?? new CandidateRedisOptions();
        var configuration = new ConfigurationOptions
        {
            User = names.RedisUser,
            Password = password,
            AbortOnConnectFail = false,
            Ssl = settings.Ssl,
        };
        if (settings.Endpoint is { Length: > 0 } endpoint)
        {
            configuration.EndPoints.Add(endpoint);
        }
        else
        {
            configuration.EndPoints.Add(redis.GetEndPoints().First());
        }

        return configuration.ToString(includePassword: true);
    }

    /// <summary>
    /// Deletes the candidate's keys (SCAN + UNLINK, never KEYS) and its ACL user, which also disconnects
    /// its clients. Returns what was removed.
    /// </summary>
    public async Task<CandidateRedisRemoval> RemoveAsync(CandidateResourceNames names, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        // The user goes first so no client of the candidate can write new keys behind the scan.
        var usersDeleted = (long)await database.ExecuteAsync("ACL", "DELUSER", names.RedisUser)
            .WaitAsync(cancellationToken);
        if (usersDeleted > 0)
        {
            await SaveUsersAsync(cancellationToken);
        }

        long keysDeleted = 0;
        var server = redis.GetServers().First(s => !s.IsReplica);
        var batch = new List<RedisKey>(UnlinkBatchSize);
        await foreach (var key in server.KeysAsync(database.Database, names.RedisPrefix + "*", pageSize: 1000)
                           .WithCancellation(cancellationToken))
        {
            batch.Add(key);
            if (batch.Count == UnlinkBatchSize)
            {
                keysDeleted += await UnlinkAsync(database, batch, cancellationToken);
            }
        }

        if (batch.Count > 0)
        {
            keysDeleted += await UnlinkAsync(database, batch, cancellationToken);
        }

        return new CandidateRedisRemoval(usersDeleted > 0, keysDeleted);
    }

    public async Task<bool> UserExistsAsync(CandidateResourceNames names, CancellationToken cancellationToken)
    {
        var users = (RedisResult[])(await redis.GetDatabase().ExecuteAsync("ACL", "USERS")
            .WaitAsync(cancellationToken))!;
        return users.Any(u => (string?)u == names.RedisUser);
    }

    /// <summary>
    /// Writes the server's users to its ACL file, where the server keeps them (<see cref="CandidateRedisOptions.SaveUsers"/>):
    /// a user made and not saved would be gone after a restart, and its deployment with it.
    /// </summary>
    private async Task SaveUsersAsync(CancellationToken cancellationToken)
    {
        if (options?.Value.SaveUsers == true)
        {
            await redis.GetDatabase().ExecuteAsync("ACL", "SAVE").WaitAsync(cancellationToken);
        }
    }

    private static async Task<long> UnlinkAsync(IDatabase database, List<RedisKey> batch,
        CancellationToken cancellationToken)
    {
        var arguments = batch.Select(k => (object)k).ToArray();
        batch.Clear();
        return (long)await database.ExecuteAsync("UNLINK", arguments).WaitAsync(cancellationToken);
    }
}

public sealed record CandidateRedisRemoval(bool UserRemoved, long KeysRemoved);
