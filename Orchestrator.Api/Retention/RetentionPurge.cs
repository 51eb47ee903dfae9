using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Sdp.Orchestrator.Api.Retention;

/// <summary>
/// Removes what has outlived its retention: deleted and failed deployments (with their scenario runs) whose last
/// change is older than <see cref="RetentionOptions.DeploymentHistory"/>, completed scenario runs older than
/// <see cref="RetentionOptions.ScenarioReports"/>, and audit entries through the database's own purge function
/// (which knows the audit retention). Live deployments are never touched. One replica at a time (an advisory lock).
/// </summary>
public sealed class RetentionPurge(
    NpgsqlDataSource database,
    RetentionMetrics metrics,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionPurge> logger)
{
    public const long PurgeLock = 0x5D9_0009;

    // Small enough that no single statement holds many row locks for long.
    private const int BatchSize = 1000;

    /// <summary>One purge, or null when another replica is running one.</summary>
    public async Task<RetentionPurgeResult?> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_lock(@key)", new { key = PurgeLock }, cancellationToken: cancellationToken)))
        {
            return null;
        }

        try
        {
            var now = time.GetUtcNow();
            var (deployments, theirRuns) = await PurgeDeploymentsAsync(connection,
                now - options.Value.DeploymentHistory, cancellationToken);
            var reports = await PurgeScenarioRunsAsync(connection, now - options.Value.ScenarioReports,
                cancellationToken);
            var auditEntries = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT platform.purge_expired_audit_entries()", cancellationToken: cancellationToken));

            var result = new RetentionPurgeResult(deployments, theirRuns + reports, auditEntries);
            metrics.Purged(RetentionKinds.Deployment, result.Deployments);
            metrics.Purged(RetentionKinds.ScenarioRun, result.ScenarioRuns);
            metrics.Purged(RetentionKinds.AuditEntry, result.AuditEntries);
            logger.LogInformation(
                "Retention purge removed {Deployments} deployments, {ScenarioRuns} scenario runs and {AuditEntries} audit entries",
                result.Deployments, result.ScenarioRuns, result.AuditEntries);
            return result;
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)",
                new { key = PurgeLock }, cancellationToken: CancellationToken.None));
        }
    }

    private static async Task<(long Deployments, long ScenarioRuns)> PurgeDeploymentsAsync(
        NpgsqlConnection connection, DateTimeOffset changedBefore, CancellationToken cancellationToken)
    {
        long deployments = 0, runs = 0;
        while (true)
        {
            // The state is checked again on the locked row, so a deployment is only ever removed while it is
            // deleted or failed; its runs go in the same statement (the foreign key is checked at its end).
            var batch = await connection.QuerySingleAsync<(long Deployments, long ScenarioRuns)>(new CommandDefinition("""
                WITH doomed AS (
                    SELECT id FROM platform.deployments
                    WHERE state IN ('deleted', 'failed') AND updated_at < @changedBefore
                    ORDER BY id
                    LIMIT @batchSize
                    FOR UPDATE SKIP LOCKED
                ), runs AS (
                    DELETE FROM platform.scenario_runs r USING doomed
                    WHERE r.deployment_id = doomed.id
                    RETURNING r.id
                ), gone AS (
                    DELETE FROM platform.deployments d USING doomed
                    WHERE d.id = doomed.id AND d.state IN ('deleted', 'failed')
                    RETURNING d.id
                )
                SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM runs)
                """, new { changedBefore, batchSize = BatchSize }, cancellationToken: cancellationToken));
            deployments += batch.Deployments;
            runs += batch.ScenarioRuns;
            if (batch.Deployments < BatchSize)
            {
                return (deployments, runs);
            }
        }
    }

    private static async Task<long> PurgeScenarioRunsAsync(NpgsqlConnection connection, DateTimeOffset completedBefore,
        CancellationToken cancellationToken)
    {
        long purged = 0;
        while (true)
        {
            var batch = await connection.ExecuteAsync(new CommandDefinition("""
                DELETE FROM platform.scenario_runs
                WHERE id IN (
                    SELECT id FROM platform.scenario_runs
                    WHERE state = 'completed' AND completed_at < @completedBefore
                    ORDER BY id
                    LIMIT @batchSize)
                """, new { completedBefore, batchSize = BatchSize }, cancellationToken: cancellationToken));
            purged += batch;
            if (batch < BatchSize)
            {
                return purged;
            }
        }
    }
}

/// <summary>What one retention purge removed (scenario runs include those of purged deployments).</summary>
public sealed record RetentionPurgeResult(long Deployments, long ScenarioRuns, long AuditEntries);
