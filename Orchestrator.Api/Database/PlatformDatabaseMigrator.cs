using System.Reflection;
using Dapper;
using DbUp;
using DbUp.Engine.Output;
using Npgsql;

namespace Sdp.Orchestrator.Api.Database;

/// <summary>
/// Brings the platform schema up to date before the API serves requests. Replicas starting together take
/// turns through an advisory lock, so each migration runs once. Migrations run as the database owner
/// (<c>ConnectionStrings:sdpdb-owner</c>) when one is configured, so that the API itself can run as a role that
/// only reads and writes rows (<c>sdpdb</c>); with one user for both, <c>sdpdb</c> migrates too.
/// </summary>
public sealed class PlatformDatabaseMigrator(
    IConfiguration configuration,
    ILogger<PlatformDatabaseMigrator> logger)
    : IHostedService
{
    public const string Schema = "platform";
    public const string ConnectionName = "sdpdb";
    public const string OwnerConnectionName = "sdpdb-owner";
    private const long MigrationLock = 0x5D9_0001;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ownerName = string.IsNullOrWhiteSpace(configuration.GetConnectionString(OwnerConnectionName))
            ? ConnectionName
            : OwnerConnectionName;
        // Unpooled: the owner's connections must close with start-up, not idle on in the pool for minutes.
        var ownerConnectionString = new NpgsqlConnectionStringBuilder(configuration.GetRequiredConnectionString(ownerName))
        {
            Pooling = false,
        }.ConnectionString;
        logger.LogInformation("Migrating the platform database as {ConnectionName}", ownerName);

        await using var dataSource = NpgsqlDataSource.Create(ownerConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"SELECT pg_advisory_lock({MigrationLock}); CREATE SCHEMA IF NOT EXISTS {Schema};",
            cancellationToken: cancellationToken));
        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(ownerConnectionString)
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(),
                    name => name.Contains(".Database.Migrations.", StringComparison.Ordinal))
                .JournalToPostgresqlTable(Schema, "schema_versions")
                .WithTransactionPerScript()
                .LogTo(new MigrationLog(logger))
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Migrating the platform database failed at {result.ErrorScript?.Name}.", result.Error);
            }
        }
        finally
        {
            await connection.ExecuteAsync($"SELECT pg_advisory_unlock({MigrationLock})");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class MigrationLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => logger.LogInformation("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogWarning(string format, params object[] args) => logger.LogWarning("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogError(string format, params object[] args) => logger.LogError("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
