using Dapper;
using Npgsql;

namespace Sdp.Orchestrator.Api.Outbox;

/// <summary>
/// Publishes what the request path saved but could not publish: the broker was down, or the process died
/// between commit and publish. Runs on every replica; SKIP LOCKED keeps them from publishing the same rows
/// at the same time.
/// </summary>
public sealed class OutboxRelay(
    NpgsqlDataSource database,
    OutboxPublisher publisher,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    /// <summary>Rows younger than this still belong to the request that saved them.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var published = await PublishPendingAsync(stoppingToken);
                if (published > 0)
                {
                    logger.LogInformation("Outbox relay published {Count} pending messages", published);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Outbox relay pass failed; retrying in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var pending = (await connection.QueryAsync<OutboxMessage>(new CommandDefinition("""
            SELECT id, message_type AS MessageType, payload::text AS Payload, traceparent AS Traceparent
            FROM platform.outbox
            WHERE published_at IS NULL AND created_at < @before
            ORDER BY id
            LIMIT 100
            FOR UPDATE SKIP LOCKED
            """, new { before = time.GetUtcNow() - Grace }, transaction, cancellationToken: cancellationToken))).ToList();

        foreach (var message in pending)
        {
            await publisher.SendAsync(message, cancellationToken);
        }

        if (pending.Count > 0)
        {
            await OutboxMarks.MarkPublishedAsync(connection, transaction, [.. pending.Select(m => m.Id)],
                time.GetUtcNow(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return pending.Count;
    }
}
