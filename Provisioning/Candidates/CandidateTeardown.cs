using Microsoft.Extensions.Logging;
using Sdp.Contracts;
using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.Candidates;

/// <summary>
/// Removes everything a deployment may have, in the order that stops writers first: the service, then
/// the database role and schema, then the Redis user and keys. Every step tolerates "already gone",
/// so it can run again after a crash, a redelivery or a half-finished provisioning.
/// </summary>
public sealed class CandidateTeardown(
    IDeploymentTarget target,
    CandidateDatabase database,
    CandidateRedis redis,
    ILogger<CandidateTeardown> logger)
{
    public async Task<TeardownReport> RemoveAsync(CandidateResourceNames names, CancellationToken cancellationToken)
    {
        var serviceRemoved = await target.RemoveAsync(names.ServiceId, cancellationToken);
        var databaseRemoved = await database.DropAsync(names, cancellationToken);
        var redisRemoval = await redis.RemoveAsync(names, cancellationToken);

        var report = new TeardownReport(serviceRemoved, databaseRemoved, redisRemoval.UserRemoved,
            redisRemoval.KeysRemoved);
        logger.LogInformation(
            "Removed deployment {DeploymentId}: service {ServiceRemoved}, database {DatabaseRemoved}, Redis user {RedisUserRemoved}, {KeysRemoved} keys",
            names.DeploymentId, serviceRemoved, databaseRemoved, redisRemoval.UserRemoved, redisRemoval.KeysRemoved);
        return report;
    }
}

public sealed record TeardownReport(bool ServiceRemoved, bool DatabaseRemoved, bool RedisUserRemoved, long KeysRemoved);
