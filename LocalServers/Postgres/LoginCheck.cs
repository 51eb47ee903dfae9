using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Sdp.LocalServers.Postgres;

/// <summary>The health of a server, a database or a login role: whether its connection string logs in now.</summary>
internal static class LoginCheck
{
    public static async Task<HealthCheckResult> RunAsync(IResourceWithConnectionString resource, string suffix,
        CancellationToken cancellationToken)
    {
        var connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false);
        if (connectionString is null)
        {
            return HealthCheckResult.Unhealthy("No connection string yet.");
        }

        // No pooling: a pooled idle connection would outlive the check and hold up the server's stop.
        await using var connection = new NpgsqlConnection(connectionString + suffix + ";Pooling=false;Timeout=5");
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // The message names no secret: Npgsql never puts the password in one.
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }

    public static string QuoteIdentifier(string identifier) =>
        "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
