using System.Threading.Channels;
using Dapper;
using Npgsql;

namespace Sdp.Orchestrator.Api.Outbox;

/// <summary>
/// Marks messages published straight after their request as sent, gathered over a short while into one statement:
/// a busy platform publishes dozens a second, and a round trip each cost the database more than the publishes. A
/// mark lost to a crash or a failed write only means the relay publishes the message again, which consumers
/// tolerate; the marks land well inside the relay's grace, so that does not happen in ordinary running.
/// </summary>
public sealed class OutboxMarks(NpgsqlDataSource database, TimeProvider time,
    ILogger<OutboxMarks> logger) : BackgroundService
{
    /// <summary>How long marks gather before they are written; far inside <see cref="OutboxRelay"/>'s grace.</summary>
    public static readonly TimeSpan Gathering = TimeSpan.FromMilliseconds(50);

    private const int MaxBatch = 1000;

    private readonly Channel<long> pending = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a published message's mark.</summary>
    public void Add(long id) => pending.Writer.TryWrite(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await pending.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Gathering, time, stoppingToken);
                await WriteAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: what was published is marked now, so a restart does not publish it again.
        await WriteAsync(CancellationToken.None);
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        while (true)
        {
            while (ids.Count < MaxBatch && pending.Reader.TryRead(out var id))
            {
                ids.Add(id);
            }

            if (ids.Count == 0)
            {
                return;
            }

            try
            {
                await using var connection = await database.OpenConnectionAsync(cancellationToken);
                await MarkPublishedAsync(connection, transaction: null, [.. ids], time.GetUtcNow(), cancellationToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(exception, "Marking {Count} published outbox messages failed; the relay will publish them again",
                    ids.Count);
            }

            ids.Clear();
        }
    }

    /// <summary>
    /// Marks messages sent, in the caller's transaction, or without one in a single round trip: the two statements
    /// of a batch run in one implicit transaction, so the setting holds for the update's commit either way.
    /// </summary>
    public static async Task MarkPublishedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        long[] ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Losing this mark to a database crash only means publishing again.
        await connection.ExecuteAsync(new CommandDefinition("""
            SELECT set_config('synchronous_commit', 'off', true);
            UPDATE platform.outbox SET published_at = @now WHERE id = ANY(@ids)
            """, new { ids, now }, transaction, cancellationToken: cancellationToken));
    }
}
