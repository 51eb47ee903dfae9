using Npgsql;

namespace Sdp.Templates.DistributedCache;

/// <summary>
/// The <c>entries</c> table (unqualified: the candidate's search_path resolves it), the cache's source of truth.
/// Reads return expired rows too; what is served is the caller's decision, made against one clock.
/// </summary>
internal sealed class CacheEntryStore(NpgsqlDataSource dataSource)
{
    public async Task<CacheEntry> UpsertAsync(string key, string value, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO entries (key, value, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)expiresAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new CacheEntry(key, value, expiresAt);
    }

    public async Task<CacheEntry?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT value, expires_at FROM entries WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CacheEntry(key, reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>Deletes the row; returns whether it existed and had not expired at <paramref name="now"/>.</summary>
    public async Task<bool> DeleteAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM entries WHERE key = $1 RETURNING expires_at IS NULL OR expires_at > $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Deletes <paramref name="key"/> only if it is still expired (a concurrent write may have renewed it).</summary>
    public async Task DeleteIfExpiredAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM entries WHERE key = $1 AND expires_at <= $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes up to <paramref name="batchSize"/> expired rows; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM entries WHERE key IN (
                SELECT key FROM entries WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> CountLiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM entries WHERE expires_at IS NULL OR expires_at > $1");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
