using Npgsql;

namespace Sdp.Templates.Notifications;

/// <summary>
/// One delivery pass for one user, holding the user's delivery lock on its own connection:
/// <see cref="MarkDeliveredAsync"/> commits the status change first, the caller publishes, then
/// <see cref="MarkPublishedAsync"/> records that it did. A pass that dies between the two leaves the notifications
/// delivered but unpublished, and the next pass for the user (a reclaimed entry) publishes them.
/// </summary>
internal sealed class UserDelivery(NpgsqlConnection connection, string userId, long sequence) : IAsyncDisposable
{
    private bool locked;

    public string UserId => userId;

    internal async Task LockAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended('notifications:' || $1, 0))", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        await command.ExecuteNonQueryAsync(cancellationToken);
        locked = true;
    }

    /// <summary>
    /// Marks the notification and every earlier queued one of the user delivered (committed at once), and returns
    /// every delivered notification of the user up to it that is not yet published, in sequence order.
    /// </summary>
    public async Task<IReadOnlyList<Notification>> MarkDeliveredAsync(DateTimeOffset deliveredAt, CancellationToken cancellationToken)
    {
        await using (var deliver = new NpgsqlCommand("""
            UPDATE notifications SET status = 'delivered', delivered_at = $3
            WHERE user_id = $1 AND sequence <= $2 AND status = 'queued'
            """, connection))
        {
            deliver.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
            deliver.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
            deliver.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = deliveredAt.UtcDateTime });
            await deliver.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var unpublished = new NpgsqlCommand($"""
            SELECT {NotificationStore.Columns} FROM notifications
            WHERE user_id = $1 AND sequence <= $2 AND status = 'delivered' AND NOT published
            ORDER BY sequence
            """, connection);
        unpublished.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        unpublished.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        return await NotificationStore.ReadAllAsync(unpublished, cancellationToken);
    }

    public async Task MarkPublishedAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE notifications SET published = true WHERE id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. notifications.Select(n => n.Id)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (locked && connection.State == System.Data.ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended('notifications:' || $1, 0))", connection);
                unlock.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            // The connection is broken, and a session lock ends with its session.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
