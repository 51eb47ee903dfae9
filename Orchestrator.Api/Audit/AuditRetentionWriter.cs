using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Orchestrator.Api.Retention;

namespace Sdp.Orchestrator.Api.Audit;

/// <summary>
/// Writes <see cref="RetentionOptions.AuditLog"/> into <c>platform.audit_retention</c> at start-up, as the schema
/// owner: the application role may only read it, so the database's own guard (no deleting younger entries) cannot
/// be loosened from the application's connection. Registered after the migrator, so the table exists.
/// </summary>
public sealed class AuditRetentionWriter(
    IConfiguration configuration,
    IOptions<RetentionOptions> options,
    ILogger<AuditRetentionWriter> logger) : IHostedService
{
    /// <summary>The owner's connection when configured apart from the application's; else the one connection.</summary>
    public const string OwnerConnectionName = "sdpdb-owner";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var keepFor = options.Value.AuditLog;
        var connectionString = new NpgsqlConnectionStringBuilder(OwnerConnectionString()) { Pooling = false };
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO platform.audit_retention AS r (singleton, keep_for, updated_at)
            VALUES (true, @keepFor, now())
            ON CONFLICT (singleton) DO UPDATE SET keep_for = EXCLUDED.keep_for, updated_at = EXCLUDED.updated_at
            WHERE r.keep_for IS DISTINCT FROM EXCLUDED.keep_for
            """, new { keepFor }, cancellationToken: cancellationToken));
        if (changed > 0)
        {
            logger.LogInformation("Audit log retention set to {AuditRetention}", keepFor);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string OwnerConnectionString() =>
        configuration.GetConnectionString(OwnerConnectionName) is { Length: > 0 } owner
            ? owner
            : configuration.GetRequiredConnectionString("sdpdb");
}
