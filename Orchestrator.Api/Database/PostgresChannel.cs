using Npgsql;

namespace Sdp.Orchestrator.Api.Database;

/// <summary>
/// Listens on a PostgreSQL notification channel for as long as the service runs, on a connection of its own, and
/// reconnects when that connection drops. Notifications sent while it was not listening are lost, so
/// <c>listening</c> runs each time it (re)starts listening and <c>lost</c> each time the connection drops: the
/// caller makes up for what it may have missed there.
/// </summary>
public static class PostgresChannel
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    public static async Task ListenAsync(NpgsqlDataSource database, string channel, Action<string> notified,
        Action listening, Action<Exception> lost, TimeProvider time, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) => notified(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                listening();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                lost(exception);
                await Task.Delay(ReconnectDelay, time, stoppingToken);
            }
        }
    }
}
