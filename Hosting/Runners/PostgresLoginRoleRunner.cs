using Npgsql;

namespace Sdp.Hosting.Runners;

/// <summary>
/// A login role for a database: created once the database exists, or given its kept password and attributes again
/// (the role may have been made without a login by the application's migrations, or by an older state folder).
/// No process of its own; healthy when the role can log in.
/// </summary>
internal sealed class PostgresLoginRoleRunner(PostgresLoginRoleResource resource, RunnerContext context) : IResourceRunner
{
    // Lives as long as its database: nothing of its own can exit.
    private static readonly Task<int?> NeverExits = new TaskCompletionSource<int?>().Task;

    // What the role must never have, whatever it had before: it runs an application, it does not administer.
    private const string Attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";

    public string? FindMissingPrerequisite() => null;

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        var directory = context.State.ResourceDirectory(resource.Name);
        resource.Password = StateDirectory.ReadOrCreatePassword(Path.Combine(directory, "password"), out _);
        return Task.CompletedTask;
    }

    public async Task<ResourceInstance> StartAsync(CancellationToken cancellationToken)
    {
        var password = resource.Password ?? throw new InvalidOperationException("Not prepared.");
        var ownerConnectionString = resource.Parent.ConnectionString
            ?? throw new DistributedApplicationException($"Database {resource.Parent.Name} is not started.", resource.Name);
        await using var connection = new NpgsqlConnection(ownerConnectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // CREATE/ALTER ROLE and GRANT take no parameters: quote the identifiers. The password goes as its verifier
        // (base64 and '$' only: no quoting question).
        var role = QuoteIdentifier(resource.RoleName);
        var passwordLiteral = "'" + ScramSha256Verifier.Create(password) + "'";
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = @name", connection);
        exists.Parameters.AddWithValue("name", resource.RoleName);
        var created = false;
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                await ExecuteAsync(connection, $"CREATE ROLE {role} {Attributes} PASSWORD {passwordLiteral}", cancellationToken).ConfigureAwait(false);
                created = true;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateObject)
            {
                // Made meanwhile by someone else (roles are shared by every database of the server): set it below.
            }
        }

        if (!created)
        {
            await ExecuteAsync(connection, $"ALTER ROLE {role} WITH {Attributes} PASSWORD {passwordLiteral}", cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, $"GRANT CONNECT ON DATABASE {QuoteIdentifier(resource.Parent.DatabaseName)} TO {role}",
            cancellationToken).ConfigureAwait(false);
        context.Logs.Append(resource.Name, $"[host] role {resource.RoleName} {(created ? "created" : "updated")}", isError: false, echo: false);
        return new ResourceInstance(null, NeverExits);
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        PostgresLogin.SucceedsAsync(resource.ConnectionString, cancellationToken);

    public Task StopAsync(CancellationToken grace) => Task.CompletedTask;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
