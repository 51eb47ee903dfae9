using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sdp.LocalServers;
using Sdp.LocalServers.Postgres;

namespace Aspire.Hosting;

public static class PostgresLoginRoleBuilderExtensions
{
    // What the role must never have, whatever it had before: it runs an application, it does not administer.
    private const string Attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";

    /// <summary>
    /// A login role that may connect to the database and nothing more, created (or given its kept password and
    /// attributes again) after each start of its server; the server's own databases (postgres, template1) are closed
    /// to it and to PUBLIC. Works on a local database and on Aspire's container one.
    /// </summary>
    public static IResourceBuilder<PostgresLoginRoleResource> AddLoginRole<T>(this IResourceBuilder<T> database,
        [ResourceName] string name, string roleName, LocalStateDirectory state)
        where T : IResourceWithConnectionString
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(roleName);
        if (roleName.Length > 63)
        {
            // PostgreSQL would silently truncate it, and then the connection string would name another role.
            throw new ArgumentException($"Role name '{roleName}' is longer than PostgreSQL's 63 characters.", nameof(roleName));
        }

        var builder = database.ApplicationBuilder;
        var password = LocalStateDirectory.PasswordParameter(builder, state, name, out _);
        var role = new PostgresLoginRoleResource(name, roleName, database.Resource, password.Resource);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, cancellationToken =>
            LoginCheck.RunAsync(role, "", cancellationToken));
        return builder.AddResource(role)
            .WithParentState()
            // Until it is done, the role's health check (a login) fails, and whatever waits for the role waits.
            .OnEveryStart((resource, _, cancellationToken) => CreateOrUpdateAsync(resource, cancellationToken))
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task CreateOrUpdateAsync(PostgresLoginRoleResource role, CancellationToken cancellationToken)
    {
        var ownerConnectionString = await role.Parent.GetConnectionStringAsync(cancellationToken).ConfigureAwait(false);
        var databaseName = new NpgsqlConnectionStringBuilder(ownerConnectionString).Database
            ?? throw new InvalidOperationException($"{role.Parent.Name}'s connection string names no database.");
        await using var connection = new NpgsqlConnection(ownerConnectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // CREATE/ALTER ROLE take no parameters. The password goes as its SCRAM verifier (base64 and '$': nothing to
        // quote), so a statement the server logs reveals nothing usable.
        var name = LoginCheck.QuoteIdentifier(role.RoleName);
        var verifier = ScramSha256Verifier.Create(await role.PasswordParameter.GetValueAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The role's password has no value."));
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = @name", connection);
        exists.Parameters.AddWithValue("name", role.RoleName);
        var verb = await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null ? "CREATE ROLE" : "ALTER ROLE";
        try
        {
            await ExecuteAsync(connection, $"{verb} {name} {Attributes} PASSWORD '{verifier}'", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateObject)
        {
            // Made meanwhile by someone else (roles belong to the whole server).
            await ExecuteAsync(connection, $"ALTER ROLE {name} {Attributes} PASSWORD '{verifier}'", cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, $"GRANT CONNECT ON DATABASE {LoginCheck.QuoteIdentifier(databaseName)} TO {name}",
            cancellationToken).ConfigureAwait(false);

        // PostgreSQL grants CONNECT to PUBLIC on every database, the server's own included: without this, the role
        // could log in to the maintenance database (postgres) and template1. No application uses those; the
        // application databases keep PUBLIC's CONNECT (the platform's candidate roles rely on it).
        await using var serverDatabases = new NpgsqlCommand(
            "SELECT datname FROM pg_database WHERE datallowconn AND (datistemplate OR datname = 'postgres') AND datname <> @name",
            connection);
        serverDatabases.Parameters.AddWithValue("name", databaseName);
        var revokeFrom = new List<string>();
        await using (var reader = await serverDatabases.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                revokeFrom.Add(reader.GetString(0));
            }
        }

        foreach (var serverDatabase in revokeFrom)
        {
            await ExecuteAsync(connection, $"REVOKE CONNECT ON DATABASE {LoginCheck.QuoteIdentifier(serverDatabase)} FROM PUBLIC, {name}",
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
