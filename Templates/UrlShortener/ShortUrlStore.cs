using Npgsql;
using NpgsqlTypes;

namespace Sdp.Templates.UrlShortener;

/// <summary>The <c>urls</c> table, by unqualified name: the candidate's search_path resolves it to its own schema.</summary>
internal sealed class ShortUrlStore(NpgsqlDataSource dataSource)
{
    /// <summary>Inserts a new code; returns its creation time, or null when the code is already taken.</summary>
    public async Task<DateTimeOffset?> TryInsertAsync(string code, string url, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO urls (code, url) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING created_at");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = code });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = url });
        var createdAt = await command.ExecuteScalarAsync(cancellationToken);
        return createdAt is DateTime utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
    }

    public async Task<string?> FindUrlAsync(string code, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT url FROM urls WHERE code = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = code });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Reads one code, first adding <paramref name="uncountedClicks"/> so the count read is complete.</summary>
    public async Task<ShortUrlDetails?> FindDetailsAsync(string code, long uncountedClicks, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(uncountedClicks > 0
            ? "UPDATE urls SET clicks = clicks + $2 WHERE code = $1 RETURNING code, url, clicks, created_at"
            : "SELECT code, url, clicks, created_at FROM urls WHERE code = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = code });
        if (uncountedClicks > 0)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = uncountedClicks });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ShortUrlDetails(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetInt64(2),
            reader.GetFieldValue<DateTimeOffset>(3));
    }

    /// <summary>Adds a batch of click counts in one statement.</summary>
    public async Task AddClicksAsync(IReadOnlyDictionary<string, long> clicks, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE urls AS u SET clicks = u.clicks + batch.clicks
            FROM unnest($1, $2) AS batch(code, clicks)
            WHERE u.code = batch.code
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]>
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            TypedValue = [.. clicks.Keys],
        });
        command.Parameters.Add(new NpgsqlParameter<long[]>
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint,
            TypedValue = [.. clicks.Values],
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
