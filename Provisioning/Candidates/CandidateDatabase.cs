using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Contracts;

namespace Sdp.Provisioning.Candidates;

/// <summary>
/// A candidate's isolated corner of the shared PostgreSQL database: a login role of its own and a schema
/// that role owns. The role reaches nothing else (see <see cref="RestrictPublicAccessAsync"/>).
/// </summary>
public sealed class CandidateDatabase(NpgsqlDataSource platformDatabase, IOptions<CandidateDatabaseOptions> options)
{
    private readonly CandidateDrops drops = new(platformDatabase);

    /// <summary>
    /// Creates role and schema and runs the template's DDL as the candidate's role, in one transaction:
    /// either all of it exists afterwards or none of it.
    /// </summary>
    public async Task CreateAsync(CandidateResourceNames names, string password, string schemaSql,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var role = Quote(names.DatabaseRole);
        var schema = Quote(names.DatabaseSchema);
        var verifier = ScramVerifier.Create(password);

        await using var connection = await platformDatabase.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            // The password travels in a statement of its own that cannot fail: PostgreSQL logs a failing statement's
            // text (a CREATE ROLE refused because the role exists would put the verifier in the server's log).
            command.CommandText = $"""
                CREATE ROLE {role} LOGIN NOINHERIT CONNECTION LIMIT {limits.ConnectionLimit};
                ALTER ROLE {role} PASSWORD '{verifier}';
                ALTER ROLE {role} SET search_path = {schema};
                ALTER ROLE {role} SET statement_timeout = '{limits.StatementTimeoutSeconds}s';
                ALTER ROLE {role} SET idle_in_transaction_session_timeout = '{limits.IdleInTransactionTimeoutSeconds}s';
                ALTER ROLE {role} SET temp_file_limit = '{limits.TempFileLimitKilobytes}kB';
                CREATE SCHEMA {schema} AUTHORIZATION {role};
                SET LOCAL ROLE {role};
                SET LOCAL search_path = {schema};
                {schemaSql}
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Drops schema (with everything in it) and role, after ending the role's sessions; returns whether either
    /// existed. Drops asked for at the same time share a transaction (see <see cref="CandidateDrops"/>).
    /// </summary>
    public Task<bool> DropAsync(CandidateResourceNames names, CancellationToken cancellationToken) =>
        drops.DropAsync(names, cancellationToken);

    /// <summary>
    /// Once per start-up, not per deployment: PostgreSQL grants every role CONNECT on the maintenance
    /// databases, TEMP on every database and USAGE on schema public. Candidates get none of it.
    /// </summary>
    public async Task RestrictPublicAccessAsync(CancellationToken cancellationToken)
    {
        var database = new NpgsqlConnectionStringBuilder(platformDatabase.ConnectionString).Database
            ?? throw new InvalidOperationException("The platform connection string names no database.");
        await using var connection = await platformDatabase.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
            REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
            REVOKE TEMPORARY ON DATABASE {Quote(database)} FROM PUBLIC;
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Schemas named like a candidate's that exist now (for reconciliation and tests).</summary>
    public async Task<bool> ExistsAsync(CandidateResourceNames names, CancellationToken cancellationToken)
    {
        await using var connection = await platformDatabase.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = @schema)
                OR EXISTS (SELECT FROM pg_roles WHERE rolname = @role)
            """;
        command.Parameters.AddWithValue("schema", names.DatabaseSchema);
        command.Parameters.AddWithValue("role", names.DatabaseRole);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The connection string the candidate's service uses: its own role, password and schema.</summary>
    public string ConnectionStringFor(CandidateResourceNames names, string password)
    {
        var platform = new NpgsqlConnectionStringBuilder(platformDatabase.ConnectionString);
        var candidate = new NpgsqlConnectionStringBuilder
        {
            Host = options.Value.Host ?? platform.Host,
            Port = options.Value.Port ?? platform.Port,
            Database = platform.Database,
            Username = names.DatabaseRole,
            Password = password,
            SearchPath = names.DatabaseSchema,
            MaxPoolSize = options.Value.MaxPoolSize,
            // An idle candidate gives its connections back soon: the shared server's slots are finite.
            ConnectionIdleLifetime = options.Value.IdleConnectionLifetimeSeconds,
            // Npgsql closes an idle connection after about lifetime + one pruning interval.
            ConnectionPruningInterval = Math.Clamp(options.Value.IdleConnectionLifetimeSeconds / 5, 1, 10),
        };
        return candidate.ConnectionString;
    }

    // Names come from CandidateResourceNames (a prefix and a number); quoting is belt and braces.
    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
