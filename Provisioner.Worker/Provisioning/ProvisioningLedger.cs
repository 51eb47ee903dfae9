using System.Text.Json;
using Dapper;
using Npgsql;
using Sdp.Contracts;

namespace Sdp.Provisioner.Worker.Provisioning;

/// <summary>
/// The provisioner's own record of what it did for each deployment, so a redelivered request neither
/// builds twice nor resets the credentials of a running service: a finished deployment's outcome is
/// reported again, and an attempt cut short by a crash is torn down and started over.
/// </summary>
public sealed class ProvisioningLedger(NpgsqlDataSource database, TimeProvider time)
{
    // Advisory-lock namespace for "provisioning deployment N", kept clear of other users of advisory locks.
    private const long LockNamespace = 0x5D9L << 48;
    private const long SchemaLock = 0x5D9_0002;

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"""
            SELECT pg_advisory_lock({SchemaLock});
            CREATE SCHEMA IF NOT EXISTS provisioner;
            CREATE TABLE IF NOT EXISTS provisioner.deployments (
                deployment_id  bigint PRIMARY KEY,
                state          text NOT NULL,
                attempts       integer NOT NULL,
                endpoint_url   text,
                reason         text,
                timings        jsonb,
                updated_at     timestamptz NOT NULL
            );
            SELECT pg_advisory_unlock({SchemaLock});
            """, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Takes the exclusive right to work on a deployment for as long as the returned claim lives, or null
    /// when another consumer holds it (a duplicate delivery being handled right now).
    /// </summary>
    public async Task<ProvisioningClaim?> TryClaimAsync(long deploymentId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var claimed = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_lock(@key)", new { key = LockNamespace | deploymentId },
                cancellationToken: cancellationToken));
            if (!claimed)
            {
                await connection.DisposeAsync();
                return null;
            }

            // Losing this row to a database crash only costs a redo; it is never wrong.
            var started = await connection.QuerySingleOrDefaultAsync<LedgerRow>(new CommandDefinition("""
                SET synchronous_commit = off;
                INSERT INTO provisioner.deployments AS d (deployment_id, state, attempts, updated_at)
                VALUES (@deploymentId, 'provisioning', 1, @now)
                ON CONFLICT (deployment_id) DO UPDATE
                    SET attempts = d.attempts + 1, updated_at = @now
                    WHERE d.state = 'provisioning'
                RETURNING state, attempts, endpoint_url AS EndpointUrl, reason, timings::text AS Timings;
                """, new { deploymentId, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
            if (started is not null)
            {
                return new ProvisioningClaim(connection, deploymentId, LockNamespace | deploymentId, started.Attempts);
            }

            // No row came back: an earlier attempt reached a final outcome.
            var final = await connection.QuerySingleAsync<LedgerRow>(new CommandDefinition("""
                SELECT state, attempts, endpoint_url AS EndpointUrl, reason, timings::text AS Timings
                FROM provisioner.deployments WHERE deployment_id = @deploymentId
                """, new { deploymentId }, cancellationToken: cancellationToken));
            return new ProvisioningClaim(connection, deploymentId, LockNamespace | deploymentId, final.Attempts)
            {
                FinalOutcome = final.ToOutcome(deploymentId),
            };
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed record LedgerRow(string State, int Attempts, string? EndpointUrl, string? Reason, string? Timings)
    {
        public ProvisioningOutcome ToOutcome(long deploymentId) => State == "ready"
            ? ProvisioningOutcome.Ready(deploymentId, new Uri(EndpointUrl!),
                JsonSerializer.Deserialize<ProvisioningTimings>(Timings!)!)
            : ProvisioningOutcome.Failed(deploymentId, Reason ?? "failed");
    }
}

/// <summary>
/// The exclusive right to provision one deployment, held as a session advisory lock on a connection
/// of its own; disposing releases it.
/// </summary>
public sealed class ProvisioningClaim(NpgsqlConnection connection, long deploymentId, long lockKey, int attempt)
    : IAsyncDisposable
{
    public int Attempt { get; } = attempt;

    /// <summary>Set when an earlier attempt already finished; its outcome is to be reported again.</summary>
    public ProvisioningOutcome? FinalOutcome { get; init; }

    public async Task RecordAsync(ProvisioningOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            SET synchronous_commit = off;
            UPDATE provisioner.deployments
            SET state = @state, endpoint_url = @endpointUrl, reason = @reason,
                timings = @timings::jsonb, updated_at = @now
            WHERE deployment_id = @deploymentId
            """, new
        {
            deploymentId,
            state = outcome.IsReady ? "ready" : "failed",
            endpointUrl = outcome.EndpointUrl?.ToString(),
            reason = outcome.Reason,
            timings = outcome.Timings is null ? null : JsonSerializer.Serialize(outcome.Timings),
            now,
        }, cancellationToken: cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@lockKey)", new { lockKey });
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
