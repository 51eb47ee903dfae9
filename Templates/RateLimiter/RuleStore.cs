using Npgsql;

namespace Sdp.Templates.RateLimiter;

/// <summary>
/// The <c>rules</c> table, by unqualified name (the candidate's search_path resolves it to its own schema).
/// The first use applies the default-rule settings to the <c>default</c> rule the schema created, unless the API has changed it since.
/// </summary>
internal sealed class RuleStore(NpgsqlDataSource dataSource, RateLimiterOptions options)
{
    private const string Columns = "name, limit_value, window_seconds, created_at, updated_at";

    private readonly Lock gate = new();
    private Task? defaultsApplied;

    public async Task<IReadOnlyList<RateLimitRule>> ListAsync(CancellationToken cancellationToken)
    {
        await EnsureDefaultsAsync(cancellationToken);
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM rules ORDER BY name");
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<RateLimitRule?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await EnsureDefaultsAsync(cancellationToken);
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM rules WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Inserts a rule; null when the name is taken.</summary>
    public async Task<RateLimitRule?> TryCreateAsync(string name, int limit, int windowSeconds, CancellationToken cancellationToken)
    {
        await EnsureDefaultsAsync(cancellationToken);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO rules (name, limit_value, window_seconds) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO NOTHING
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = windowSeconds });
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Changes an existing rule; null when there is none (an update creates nothing).</summary>
    public async Task<RateLimitRule?> TryUpdateAsync(string name, int limit, int windowSeconds, CancellationToken cancellationToken)
    {
        await EnsureDefaultsAsync(cancellationToken);
        // A rule changed through the API is the candidate's from then on: the settings no longer touch it.
        await using var command = dataSource.CreateCommand($"""
            UPDATE rules SET limit_value = $2, window_seconds = $3, updated_at = clock_timestamp(), from_settings = false
            WHERE name = $1
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = windowSeconds });
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await EnsureDefaultsAsync(cancellationToken);
        await using var command = dataSource.CreateCommand("DELETE FROM rules WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Once per app (retried after a failure): the settings decide the untouched default rule.</summary>
    private Task EnsureDefaultsAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (defaultsApplied is null || defaultsApplied.IsFaulted)
            {
                // Not tied to one request: a caller that gives up must not cancel it for the others.
                defaultsApplied = ApplyDefaultsAsync();
            }

            return defaultsApplied.WaitAsync(cancellationToken);
        }
    }

    private async Task ApplyDefaultsAsync()
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE rules SET limit_value = $2, window_seconds = $3
            WHERE name = $1 AND from_settings AND (limit_value, window_seconds) IS DISTINCT FROM ($2, $3)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RateLimitRule.DefaultName });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.DefaultLimit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.DefaultWindowSeconds });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static async Task<List<RateLimitRule>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rules = new List<RateLimitRule>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rules.Add(new RateLimitRule(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetInt32(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return rules;
    }
}
