using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sdp.Contracts;
using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.Candidates;

/// <summary>
/// Removes everything a deployment may have: the service, the database role and schema, and the Redis user and keys,
/// all three at once. Each store shuts the candidate out before it removes anything (Redis deletes the user, which
/// closes its connections, before it scans for keys; the database drop ends the role's sessions in its own
/// transaction), so a service that is still stopping cannot leave anything behind. Every step tolerates "already
/// gone", so it can run again after a crash, a redelivery or a half-finished provisioning.
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
        // Stopping a service takes seconds on Cloud Run: the stores need not wait for it.
        var serviceStep = TimeAsync(() => target.RemoveAsync(names.ServiceId, cancellationToken));
        var databaseStep = TimeAsync(() => database.DropAsync(names, cancellationToken));
        var redisStep = TimeAsync(() => redis.RemoveAsync(names, cancellationToken));
        await Task.WhenAll(serviceStep, databaseStep, redisStep);
        var (serviceRemoved, serviceMs) = await serviceStep;
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
