using Npgsql;

namespace LocalServers.Tests.Infrastructure;

internal static class Sql
{
    /// <summary>A connection of its own (no pool: an idle pooled connection would hold up the server's stop).</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string? connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=10");
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public static async Task<T> ScalarAsync<T>(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The SQLSTATE a login or a statement is refused with.</summary>
    public static async Task<string> RefusalAsync(Func<Task> action)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(action);
        return refused.SqlState;
    }
}
