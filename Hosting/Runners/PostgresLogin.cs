using Npgsql;

namespace Sdp.Hosting.Runners;

/// <summary>Whether a PostgreSQL connection string logs in now: the health of a database or a login role.</summary>
internal static class PostgresLogin
{
    public static async Task<bool> SucceedsAsync(string? connectionString, CancellationToken cancellationToken)
    {
        if (connectionString is null)
        {
            return false;
        }

        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=5");
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
    }
}
