using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Orchestrator.Api.Outbox;
using Sdp.Orchestrator.Api.Scenarios;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// Every <see cref="DeploymentLifecycleOptions.CheckInterval"/> (a minute by default): sends expired deployments
/// down the DELETE path, retries or fails deployments stuck in queued, provisioning or cleaning, and closes
/// scenario runs whose report never came. One replica
/// at a time does it (a PostgreSQL advisory lock); the others only count deployments by state for the metric.
/// </summary>
public sealed class DeploymentDeadlineWatcher(
    NpgsqlDataSource database,
    DeploymentStore store,
    ScenarioRunStore scenarioRuns,
    OutboxPublisher outbox,
    DeploymentMetrics metrics,
    IOptions<DeploymentLifecycleOptions> options,
    TimeProvider time,
    ILogger<DeploymentDeadlineWatcher> logger) : BackgroundService
{
    /// <summary>The advisory lock one pass holds; a holder of it keeps every replica from making a pass.</summary>
    public const long WatcherLock = 0x5D9_0003;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, time);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Deadline check failed; next try in {Interval}", options.Value.CheckInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass, when no other replica is making one; returns null when another is.</summary>
    public async Task<DeadlineCheck?> CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                $"SELECT pg_try_advisory_lock({WatcherLock})", cancellationToken: cancellationToken)))
        {
            return null;
        }

        try
        {
            var expired = await store.ExpireDueAsync(cancellationToken);
            if (expired.Count > 0)
            {
                metrics.Expired(expired.Count);
                logger.LogInformation("{Count} deployments expired; cleanup requested", expired.Count);
            }

            var stuck = await store.RetryStuckAsync(options.Value, cancellationToken);
            foreach (var retry in stuck.Retried)
            {
                metrics.Retried(retry.State);
                logger.LogWarning("Deployment {DeploymentId} stuck in {State}: requested again (attempt {Attempt})",
                    retry.Id, retry.State, retry.Attempt);
            }

            foreach (var failure in stuck.Failed)
            {
                metrics.StuckFailed(failure.State);
                logger.LogError("Deployment {DeploymentId} stuck in {State} after {Attempts} retries: failed, cleanup requested",
                    failure.Id, failure.State, failure.Attempt);
            }

            var abandoned = await scenarioRuns.CloseOverdueAsync(options.Value.ScenarioRunGrace, cancellationToken);
            var cleanups = new List<OutboxMessage>();
            foreach (var run in abandoned)
            {
                logger.LogWarning("Scenario run {RunId} of deployment {DeploymentId} had no report {Grace} after its load duration: closed as error",
                    run.RunId, run.DeploymentId, options.Value.ScenarioRunGrace);
                if (run.CleanupAfterTest
                    && await store.RequestCleanupAsync(run.DeploymentId, cancellationToken, CleanupReason.AfterTest)
                        is (_, { } cleanup))
                {
                    cleanups.Add(cleanup);
                }
            }

            await PublishAsync([.. expired, .. stuck.Messages, .. cleanups], cancellationToken);
            return new DeadlineCheck(expired.Count, stuck.Retried.Count, stuck.Failed.Count, abandoned.Count);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition($"SELECT pg_advisory_unlock({WatcherLock})",
                cancellationToken: CancellationToken.None));
        }
    }

    private async Task PublishAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            // Bounded: a publish on a channel the broker just closed can wait forever.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await outbox.PublishAsync(message, deadline.Token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Saved with the state change: the relay publishes it.
                logger.LogWarning(exception, "Publishing outbox message {OutboxId} failed; the relay will publish it",
                    message.Id);
                return;
            }
        }
    }
}

/// <summary>What one deadline check did.</summary>
public sealed record DeadlineCheck(int Expired, int Retried, int Failed, int AbandonedScenarioRuns);
