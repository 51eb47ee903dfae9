using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Sdp.Orchestrator.Api.Auth;

/// <summary>
/// Makes sure the configured first admin key exists, once the schema is migrated. A key revoked since stays
/// revoked: the insert does nothing when the hash is already known.
/// </summary>
public sealed class BootstrapAdminKey(NpgsqlDataSource database, IOptions<AuthOptions> options, TimeProvider time,
    ILogger<BootstrapAdminKey> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapAdminKeySha256 is not { } hex)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var added = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO platform.api_keys (name, role, secret_sha256, created_at)
            VALUES ('bootstrap admin', 'admin', @hash, @now)
            ON CONFLICT (secret_sha256) DO NOTHING
            """, new { hash = Convert.FromHexString(hex), now = time.GetUtcNow() },
            cancellationToken: cancellationToken));
        if (added > 0)
        {
            logger.LogInformation("Added the bootstrap admin key from configuration");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
