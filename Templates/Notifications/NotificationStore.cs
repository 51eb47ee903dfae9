using Npgsql;

namespace Sdp.Templates.Notifications;

/// <summary>
/// The <c>notifications</c> and <c>user_sequences</c> tables (unqualified: the candidate's search_path resolves
/// them). PostgreSQL is the record of what was accepted and what was delivered.
/// </summary>
internal sealed class NotificationStore(NpgsqlDataSource dataSource)
{
    internal const string Columns = "id, user_id, channel, message, status, sequence, created_at, delivered_at";

    /// <summary>
    /// Saves a queued notification with the user's next sequence number. The upsert locks the user's counter row
    /// until the insert commits, so sequence order is creation (commit) order for each user.
    /// </summary>
    public async Task<Notification> CreateAsync(string userId, string channel, string message, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH next AS (
                INSERT INTO user_sequences AS s (user_id, last_sequence) VALUES ($1, 1)
                ON CONFLICT (user_id) DO UPDATE SET last_sequence = s.last_sequence + 1
                RETURNING last_sequence)
            INSERT INTO notifications (user_id, channel, message, sequence)
            SELECT $1, $2, $3, last_sequence FROM next
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = channel });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message });
        return (await ReadAllAsync(command, cancellationToken)).Single();
    }

    public async Task<Notification?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM notifications WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The user's first <paramref name="limit"/> notifications in sequence order.</summary>
    public async Task<IReadOnlyList<Notification>> ListForUserAsync(string userId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM notifications WHERE user_id = $1 ORDER BY sequence LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Ids still queued since before <paramref name="createdBefore"/>: their stream entry was lost.</summary>
    public async Task<IReadOnlyList<long>> FindStaleQueuedAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id FROM notifications WHERE status = 'queued' AND created_at < $1 ORDER BY created_at LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = createdBefore.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>
    /// Starts delivering notification <paramref name="id"/>: takes its user's delivery lock (a session advisory lock,
    /// so one deliverer per user at a time across instances, released by <see cref="UserDelivery.DisposeAsync"/> or
    /// by the connection closing if the process dies). Null when there is no such notification.
    /// </summary>
    public async Task<UserDelivery?> BeginDeliveryAsync(long id, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var find = new NpgsqlCommand("SELECT user_id, sequence FROM notifications WHERE id = $1", connection);
            find.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            string userId;
            long sequence;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    await connection.DisposeAsync();
                    return null;
                }

                userId = reader.GetString(0);
                sequence = reader.GetInt64(1);
            }

            var delivery = new UserDelivery(connection, userId, sequence);
            await delivery.LockAsync(cancellationToken);
            return delivery;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Marks one notification delivered if it is queued, ignoring order; returns it, or null.</summary>
    public async Task<Notification?> MarkDeliveredAsync(long id, DateTimeOffset deliveredAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE notifications SET status = 'delivered', delivered_at = $2 WHERE id = $1 AND status = 'queued' RETURNING {Columns}");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = deliveredAt.UtcDateTime });
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    internal static async Task<List<Notification>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var notifications = new List<Notification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notifications.Add(new Notification(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetInt64(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return notifications;
    }
}
