using Dapper;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Outbox;

namespace Sdp.Orchestrator.Api.Deployments;

// Expiry and stuck work: the state changes the deadline watcher makes, each saved with its outbox message.
public sealed partial class DeploymentStore
{
    private const int DeadlineBatchSize = 100;

    /// <summary>
    /// Moves deployments whose time to live has run out to cleaning (the same path as DELETE). Returns the
    /// CleanupRequested messages to publish.
    /// </summary>
    public async Task<IReadOnlyList<OutboxMessage>> ExpireDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = (await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT id FROM platform.deployments
            WHERE state IN ('generating', 'queued', 'provisioning', 'ready') AND expires_at <= @now
            ORDER BY expires_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """, new { now = time.GetUtcNow(), limit = DeadlineBatchSize }, transaction,
            cancellationToken: cancellationToken))).AsList();

        var messages = new List<OutboxMessage>(due.Count);
        foreach (var id in due)
        {
            messages.Add(await MoveToCleaningAsync(connection, transaction, id, CleanupReason.Expired, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return messages;
    }

    /// <summary>
    /// Finds deployments stuck in queued, provisioning or cleaning past their deadline. Each is requested again
    /// (its step's message saved anew) with the next look-in pushed back, or, once
    /// <see cref="DeploymentLifecycleOptions.MaxAttempts"/> is spent, marked failed with its cleanup requested.
    /// </summary>
    public async Task<StuckWork> RetryStuckAsync(DeploymentLifecycleOptions options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stuck = (await connection.QueryAsync<StuckRow>(new CommandDefinition("""
            SELECT id, state, attempts, problem_type AS ProblemType, settings::text AS Settings,
                   service_spec::text AS ServiceSpec
            FROM platform.deployments
            WHERE state IN ('queued', 'provisioning', 'cleaning')
              AND COALESCE(next_attempt_at, updated_at + CASE state
                    WHEN 'queued' THEN @queuedTimeout
                    WHEN 'provisioning' THEN @provisioningTimeout
                    ELSE @cleaningTimeout END) <= @now
            ORDER BY id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """, new
        {
            now,
            queuedTimeout = options.QueuedTimeout,
            provisioningTimeout = options.ProvisioningTimeout,
            cleaningTimeout = options.CleaningTimeout,
            limit = DeadlineBatchSize,
        }, transaction, cancellationToken: cancellationToken))).AsList();

        var retried = new List<StuckDeployment>();
        var failed = new List<StuckDeployment>();
        var messages = new List<OutboxEntry>();
        foreach (var row in stuck)
        {
            if (row.Attempts < options.MaxAttempts)
            {
                var attempt = row.Attempts + 1;
                await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE platform.deployments SET attempts = @attempt, next_attempt_at = @next WHERE id = @id
                    """, new { row.Id, attempt, next = now + options.NextCheckAfterRetry(row.State, attempt) },
                    transaction, cancellationToken: cancellationToken));
                messages.Add(row.State == DeploymentState.Cleaning
                    ? OutboxEntry.From(new CleanupRequested(row.Id, now))
                    : OutboxEntry.From(DeploymentRequests.From(row.Id, row.ProblemType, now, row.Settings,
                        row.ServiceSpec)));
                retried.Add(new StuckDeployment(row.Id, row.State, attempt));
            }
            else
            {
                var reason = row.State == DeploymentState.Cleaning
                    ? $"Cleanup did not finish after {row.Attempts + 1} requests; what is left is removed by the orphan reconciler."
                    : $"Not ready: stuck in '{row.State}' after {row.Attempts + 1} requests.";
                await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE platform.deployments
                    SET state = 'failed', failed_at = @now, updated_at = @now, error = @reason,
                        cleanup_reason = COALESCE(cleanup_reason, 'failed'), next_attempt_at = NULL
                    WHERE id = @id
                    """, new { row.Id, now, reason }, transaction, cancellationToken: cancellationToken));
                // Whatever a worker may still have built goes; the deployment stays failed.
                messages.Add(OutboxEntry.From(new CleanupRequested(row.Id, now)));
                failed.Add(new StuckDeployment(row.Id, row.State, row.Attempts));
            }
        }

        // Saved with the state changes, in the same transaction: one statement for the whole pass.
        var saved = await OutboxWriter.SaveAllAsync(connection, transaction, messages, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StuckWork(retried, failed, saved);
    }

    /// <summary>
    /// A ready deployment lost part of its resources (its Redis user or its service vanished): it is marked
    /// failed with <paramref name="reason"/> and its cleanup requested. Returns the message, or null when the
    /// deployment is not ready (already going, or gone).
    /// </summary>
    public async Task<OutboxMessage?> MarkLostAsync(long id, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform.deployments
            SET state = 'failed', failed_at = @now, updated_at = @now, error = @reason, cleanup_reason = 'failed'
            WHERE id = @id AND state = 'ready'
            """, new { id, now, reason }, transaction, cancellationToken: cancellationToken));
        var message = updated == 0
            ? null
            : await SaveCleanupRequestedAsync(connection, transaction, id, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return message;
    }

    private sealed record StuckRow(long Id, string State, int Attempts, string ProblemType, string? Settings,
        string? ServiceSpec);
}

/// <summary>One deployment found stuck: its state and the attempt just made (or the last one, when it failed).</summary>
public sealed record StuckDeployment(long Id, string State, int Attempt);

/// <summary>What one look for stuck work did, and the messages to publish.</summary>
public sealed record StuckWork(
    IReadOnlyList<StuckDeployment> Retried,
    IReadOnlyList<StuckDeployment> Failed,
    IReadOnlyList<OutboxMessage> Messages);
