using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sdp.LocalServers;
using Sdp.LocalServers.Postgres;

namespace Aspire.Hosting;

public static class LocalPostgresBuilderExtensions
{
    private const string OsUser = "postgres";

    /// <summary>
    /// PostgreSQL from this machine's binaries (<c>Sdp:PostgresBinDirectory</c>, default the Debian package's), on
    /// 127.0.0.1 and a port kept in the state folder (free at first start), its data and password there too: <c>initdb</c> on first start, then the
    /// server under Aspire's orchestrator. Healthy once it accepts a login.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, LocalStateDirectory state)
    {
        var bin = builder.Configuration["Sdp:PostgresBinDirectory"] ?? "/usr/lib/postgresql/15/bin";
        var directory = state.ResourceDirectory(name);
        // The same port at every start: candidates' services were told this address when they were built.
        var port = state.KeptPort(name);
        var dataDirectory = Path.Combine(directory, "data");
        var socketDirectory = Path.Combine(directory, "run");
        var password = LocalStateDirectory.PasswordParameter(builder, state, name, out var newPassword);
        var server = new LocalPostgresServerResource(name, directory, password.Resource);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, cancellationToken =>
            LoginCheck.RunAsync(server, ";Database=postgres", cancellationToken));

        return builder.AddResource(server)
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", port: port, targetPort: port, isProxied: false)
            .WithArgs(context => LocalServerProcess.AddSupervisedArguments(context.Args, directory,
                // A fast shutdown, then an immediate one if it is not over in 8 s: the fast one ends with a checkpoint
                // that syncs every file written since the last, and after minutes of deployments (hundreds of schemas
                // made and dropped) that took longer than Aspire's stop command waits (about 15 s). An immediate
                // shutdown loses nothing committed (the WAL has it); the next start replays the WAL.
                "INT:QUIT", OsUser, before: null,
                Path.Combine(bin, "postgres"), "-D", dataDirectory,
                "-p", server.PrimaryEndpoint.Property(EndpointProperty.TargetPort),
                "-k", socketDirectory, "-c", "listen_addresses=127.0.0.1",
                // Every live candidate service keeps a small pool of its own: hundreds of deployments need room.
                "-c", "max_connections=1000"))
            .OnBeforeResourceStarted(async (resource, started, cancellationToken) =>
            {
                LocalServerProcess.RequireBinaries("PostgreSQL", "Sdp:PostgresBinDirectory",
                    Path.Combine(bin, "initdb"), Path.Combine(bin, "postgres"));
                await LocalServerProcess.PrepareAsync(resource, directory, started.Services, cancellationToken).ConfigureAwait(false);
                // A password without its data (or data without its password) is of no use: start over. Guarded, as
                // this runs before every start, restarts included.
                if (newPassword || !File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
                {
                    await InitializeAsync(resource, bin, directory, dataDirectory, cancellationToken).ConfigureAwait(false);
                    newPassword = false;
                }

                // A fresh socket folder each start: a killed server's socket and lock files must not linger.
                if (Directory.Exists(socketDirectory))
                {
                    Directory.Delete(socketDirectory, recursive: true);
                }

                Directory.CreateDirectory(socketDirectory);
                await LocalStateDirectory.GiveToAsync(name, directory, OsUser, cancellationToken).ConfigureAwait(false);
            })
            .OnEveryStart(async (resource, _, cancellationToken) =>
            {
                // Again after each restart: creating what is missing is all it does. The databases' health checks (a
                // login) wait for it.
                foreach (var databaseName in resource.Databases.Values)
                {
                    await CreateDatabaseAsync(resource, databaseName, cancellationToken).ConfigureAwait(false);
                }
            })
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>A database in the server, created after each start of the server when missing; healthy once it accepts a login.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresServerResource> builder,
        [ResourceName] string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.AddDatabase(name, database.DatabaseName);
        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, cancellationToken =>
            LoginCheck.RunAsync(database, "", cancellationToken));
        return builder.ApplicationBuilder.AddResource(database)
            .WithParentState()
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task InitializeAsync(LocalPostgresServerResource server, string bin, string directory,
        string dataDirectory, CancellationToken cancellationToken)
    {
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        // The password goes through a file of the server user's, never on a command line.
        var passwordFile = Path.Combine(directory, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, await server.PasswordParameter.GetValueAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            await LocalStateDirectory.GiveToAsync(server.Name, directory, OsUser, cancellationToken).ConfigureAwait(false);
            string[] initdb = [Path.Combine(bin, "initdb"), "-D", dataDirectory, "-U", server.UserName, $"--pwfile={passwordFile}",
                "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-instructions"];
            await (LocalStateDirectory.IsRoot
                ? LocalStateDirectory.RunAsync(server.Name, "setpriv", [$"--reuid={OsUser}", $"--regid={OsUser}", "--init-groups", .. initdb], cancellationToken)
                : LocalStateDirectory.RunAsync(server.Name, initdb[0], initdb[1..], cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static async Task CreateDatabaseAsync(LocalPostgresServerResource server, string databaseName, CancellationToken cancellationToken)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", databaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            // CREATE DATABASE takes no parameters: the name goes quoted.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {LoginCheck.QuoteIdentifier(databaseName)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
