using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sdp.Contracts;
using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.Candidates;

/// <summary>
/// Removes everything a deployment may have, in the order that stops writers first: the service, then (at the
/// same time) the database role and schema, and the Redis user and keys. Every step tolerates "already gone",
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
        var watch = Stopwatch.StartNew();
        var serviceRemoved = await target.RemoveAsync(names.ServiceId, cancellationToken);
        var serviceMs = watch.Elapsed.TotalMilliseconds;
        // With the service gone nothing writes any more, and the two stores are independent of each other.
        var databaseStep = TimeAsync(() => database.DropAsync(names, cancellationToken));
        var redisStep = TimeAsync(() => redis.RemoveAsync(names, cancellationToken));
        await Task.WhenAll(databaseStep, redisStep);
        var (databaseRemoved, databaseMs) = await databaseStep;
        var (redisRemoval, redisMs) = await redisStep;

        var report = new TeardownReport(serviceRemoved, databaseRemoved, redisRemoval.UserRemoved,
            redisRemoval.KeysRemoved);
        logger.LogInformation(
            "Removed deployment {DeploymentId} in {TotalMs:F1} ms: service {ServiceRemoved} ({ServiceMs:F1} ms), database {DatabaseRemoved} ({DatabaseMs:F1} ms), Redis user {RedisUserRemoved} and {KeysRemoved} keys ({RedisMs:F1} ms)",
            names.DeploymentId, watch.Elapsed.TotalMilliseconds, serviceRemoved, serviceMs, databaseRemoved, databaseMs,
            redisRemoval.UserRemoved, redisRemoval.KeysRemoved, redisMs);
        return report;
    }

    private static async Task<(T Result, double Milliseconds)> TimeAsync<T>(Func<Task<T>> step)
    {
        var watch = Stopwatch.StartNew();
        var result = await step();
        return (result, watch.Elapsed.TotalMilliseconds);
    }
}

public sealed record TeardownReport(bool ServiceRemoved, bool DatabaseRemoved, bool RedisUserRemoved, long KeysRemoved);
