using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Outbox;
using Sdp.Orchestrator.Api.Quotas;
using Sdp.Orchestrator.Api.Database;
using Sdp.Orchestrator.Api.Standby;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// The platform's record of deployments. Every state change that must reach another service is saved
/// together with its outbox message, in one statement or one transaction.
/// </summary>
public sealed partial class DeploymentStore(NpgsqlDataSource database, TimeProvider time,
    IOptions<TenantQuotaOptions> quotaDefaults, StandbyClaim standbyClaim)
{
    private const string Select = $"SELECT {DeploymentRecord.Columns} FROM platform.deployments";

    /// <summary>What moving to cleaning sets (parameters @now and @reason); a null reason keeps the one recorded before.</summary>
    private const string CleaningAssignments = """
        state = 'cleaning', cleaning_at = @now, deleted_at = NULL, updated_at = @now,
        cleanup_reason = COALESCE(@reason::text, cleanup_reason, 'failed'), attempts = 0, next_attempt_at = NULL
        """;

    /// <summary>
    /// Saves a new deployment of <paramref name="tenantId"/>, unless the tenant is at one of its deployment quotas:
    /// a standby slot whose service answers, claimed (ready at once; <see cref="StandbyClaim"/>), or else a queued
    /// deployment and its DeploymentRequested message, atomically. The tenant's row is locked while its usage is
    /// counted, so concurrent requests of one tenant cannot both take its last slot. A custom deployment
    /// (<paramref name="serviceSpec"/>) is never a standby slot: its message carries its spec. With
    /// <paramref name="generate"/> it is saved generating, with no message: the generation worker asks the model for
    /// its spec and queues it.
    /// </summary>
    public async Task<DeploymentCreation> CreateAsync(Guid tenantId, string problemType,
        string designText, string? submissionId, TimeSpan ttl, IReadOnlyDictionary<string, string> settings,
        CancellationToken cancellationToken, ServiceSpec? serviceSpec = null, bool generate = false)
    {
        var now = time.GetUtcNow();
        var settingsJson = JsonSerializer.Serialize(settings);
        var serviceSpecJson = serviceSpec is null ? null : DeploymentRequests.WriteServiceSpec(serviceSpec);
        var fromTemplate = serviceSpec is null && !generate;
        var claim = new StandbyClaimRequest(tenantId, problemType, settingsJson, designText, submissionId, now, now + ttl);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // A standby slot of the same template and settings (its resources and service exist already) whose service
        // answers, locked before the tenant's row: its probe does not hold up the tenant's other requests.
        var slot = fromTemplate
            ? await standbyClaim.ReserveAsync(connection, transaction, claim, cancellationToken)
            : null;
        var (quotas, usage) = await TenantDeploymentUsage.LockAndCountAsync(connection, transaction, tenantId, now,
            quotaDefaults.Value, cancellationToken);
        if (DeploymentQuota.Check(quotas, usage) is { } exceeded)
        {
            return new DeploymentCreation.Refused(exceeded);
        }

        // Dapper sends each statement only the parameters its text names.
        var parameters = new
        {
            tenantId,
            problemType,
            designText,
            submissionId,
            now,
            expiresAt = now + ttl,
            settings = settingsJson,
            serviceSpec = serviceSpecJson,
            state = generate ? DeploymentState.Generating : DeploymentState.Queued,
            generate,
        };

        if (slot is { } slotId)
        {
            var claimed = await StandbyClaim.ClaimAsync(connection, transaction, slotId, claim, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new DeploymentCreation.Created(claimed, null);
        }

        var created = await connection.QuerySingleAsync<DeploymentRecord>(new CommandDefinition($"""
            INSERT INTO platform.deployments
                (tenant_id, problem_type, design_text, submission_id, state, created_at, queued_at, updated_at,
                 expires_at, settings, service_spec, generated, generating_at)
            VALUES (@tenantId, @problemType, @designText, @submissionId, @state, @now, @now, @now, @expiresAt,
                    @settings::jsonb, @serviceSpec::jsonb, @generate, CASE WHEN @generate THEN @now END)
            RETURNING {DeploymentRecord.Columns}
            """, parameters, transaction, cancellationToken: cancellationToken));
        var message = generate
            ? null
            : await OutboxWriter.SaveAsync(connection, transaction,
                new DeploymentRequested(created.Id, problemType, now, settings, serviceSpec), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DeploymentCreation.Created(created, message);
    }

    /// <summary>The deployment, if it exists and belongs to <paramref name="tenantScope"/> (any tenant when null).</summary>
    public async Task<DeploymentRecord?> GetAsync(long id, Guid? tenantScope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DeploymentRecord>(new CommandDefinition(
            $"{Select} WHERE id = @id AND (@tenantScope::uuid IS NULL OR tenant_id = @tenantScope)",
            new { id, tenantScope }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Newest first, by creation time (a claimed standby slot keeps its older id); <paramref name="beforeId"/>, the
    /// last deployment of a previous page, continues it.
    /// </summary>
    public async Task<IReadOnlyList<DeploymentRecord>> ListAsync(Guid? tenantScope, string? state, int limit,
        long? beforeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeploymentRecord>(new CommandDefinition($"""
            {Select}
            WHERE (@tenantScope::uuid IS NULL OR tenant_id = @tenantScope)
              AND (@state::text IS NULL OR state = @state)
              AND (@beforeId::bigint IS NULL
                   OR (created_at, id) < ((SELECT created_at FROM platform.deployments WHERE id = @beforeId), @beforeId))
            ORDER BY created_at DESC, id DESC
            LIMIT @limit
            """, new { tenantScope, state, beforeId, limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>
    /// Moves a deployment to cleaning and saves its CleanupRequested message: what DELETE does, and what a finished
    /// scenario run that asked for cleanup does (<paramref name="reason"/> <see cref="CleanupReason.AfterTest"/>).
    /// Returns null for an unknown id; no message when it is already cleaning or deleted (the earlier request
    /// still stands), and for another tenant's deployment when <paramref name="tenantScope"/> is set. The caller
    /// publishes the message (or leaves it to the outbox relay).
    /// </summary>
    public async Task<(DeploymentRecord Deployment, OutboxMessage? Message)?> RequestCleanupAsync(long id,
        CancellationToken cancellationToken, string reason = CleanupReason.Requested, Guid? tenantScope = null)
    {
        var now = time.GetUtcNow();
        var entry = OutboxEntry.From(new CleanupRequested(id, now));
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // One statement, so one round trip: the state change and its message are saved together or not at all.
        // Two requests at once both wait on the row; the second finds it cleaning and changes nothing.
        var moved = await connection.QuerySingleOrDefaultAsync<CleaningDeployment>(new CommandDefinition($"""
            WITH moved AS (
                UPDATE platform.deployments SET {CleaningAssignments}
                WHERE id = @id AND (@tenantScope::uuid IS NULL OR tenant_id = @tenantScope)
                  AND state NOT IN ('cleaning', 'deleted')
                RETURNING {DeploymentRecord.Columns}
            ), saved AS (
                INSERT INTO platform.outbox (message_type, payload, created_at, traceparent)
                SELECT @MessageType, @Payload::jsonb, @now, @Traceparent FROM moved
                RETURNING id
            )
            SELECT moved.*, saved.id AS OutboxId FROM moved, saved
            """, new { id, tenantScope, reason, now, entry.MessageType, entry.Payload, entry.Traceparent },
            cancellationToken: cancellationToken));
        if (moved is not null)
        {
            return (moved, entry.Saved(moved.OutboxId));
        }

        // Already cleaning or deleted (nothing to send), or not this caller's.
        var current = await connection.QuerySingleOrDefaultAsync<DeploymentRecord>(new CommandDefinition(
            $"{Select} WHERE id = @id AND (@tenantScope::uuid IS NULL OR tenant_id = @tenantScope)",
            new { id, tenantScope }, cancellationToken: cancellationToken));
        return current is null ? null : (current, null);
    }

    public async Task MarkProvisioningAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform.deployments
            SET state = 'provisioning', provisioning_at = @now, updated_at = @now, next_attempt_at = NULL
            WHERE id = @id AND state = 'queued'
            """, new { id, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records a deployment as ready. When it is no longer wanted (cleaning, deleted or failed meanwhile) the
    /// resources that were just built must go again: returns the CleanupRequested message to publish. A deleted
    /// deployment keeps its state and time of deletion (it never comes back to life as cleaning).
    /// </summary>
    public async Task<OutboxMessage?> MarkReadyAsync(DeploymentProvisioned provisioned,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var state = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT state FROM platform.deployments WHERE id = @id FOR UPDATE",
            new { id = provisioned.DeploymentId }, transaction, cancellationToken: cancellationToken));

        OutboxMessage? cleanup = null;
        switch (state)
        {
            case DeploymentState.Queued or DeploymentState.Provisioning:
                await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE platform.deployments
                    SET state = 'ready', ready_at = @now, updated_at = @now,
                        provisioning_at = COALESCE(provisioning_at, @now),
                        endpoint_url = @endpointUrl, timings = @timings::jsonb,
                        deployment_time_seconds = EXTRACT(EPOCH FROM (@now - created_at))
                    WHERE id = @id
                    """, new
                {
                    id = provisioned.DeploymentId,
                    now,
                    endpointUrl = provisioned.EndpointUrl,
                    timings = JsonSerializer.Serialize(provisioned.Timings),
                }, transaction, cancellationToken: cancellationToken));
                break;
            case DeploymentState.Cleaning or DeploymentState.Failed:
                cleanup = await MoveToCleaningAsync(connection, transaction, provisioned.DeploymentId,
                    null, cancellationToken);
                break;
            case DeploymentState.Deleted:
                // Deleted stays deleted: the tenant was told so and no longer counts it as live. The late
                // resources go through the cleanup worker all the same; the orphan sweep is its backstop.
                cleanup = await SaveCleanupRequestedAsync(connection, transaction, provisioned.DeploymentId, now,
                    cancellationToken);
                break;
        }

        await transaction.CommitAsync(cancellationToken);
        return cleanup;
    }

    public async Task MarkFailedAsync(DeploymentFailed failed, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform.deployments SET state = 'failed', failed_at = @now, updated_at = @now, error = @reason
            WHERE id = @id AND state IN ('generating', 'queued', 'provisioning')
            """, new { id = failed.DeploymentId, reason = failed.Reason, now = time.GetUtcNow() },
            cancellationToken: cancellationToken));
    }

    /// <summary>False when no deployment <paramref name="id"/> was cleaning (already deleted, or no tenant's).</summary>
    public async Task<bool> MarkDeletedAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform.deployments SET state = 'deleted', deleted_at = @now, updated_at = @now
            WHERE id = @id AND state = 'cleaning'
            """, new { id, now = time.GetUtcNow() }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Moves to cleaning; a null <paramref name="reason"/> keeps the one recorded before.</summary>
    private async Task<OutboxMessage> MoveToCleaningAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        long id, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE platform.deployments SET {CleaningAssignments} WHERE id = @id",
            new { id, now, reason }, transaction, cancellationToken: cancellationToken));
        return await SaveCleanupRequestedAsync(connection, transaction, id, now, cancellationToken);
    }

    private static Task<OutboxMessage> SaveCleanupRequestedAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        OutboxWriter.SaveAsync(connection, transaction, new CleanupRequested(id, now), now, cancellationToken);

    private sealed class CleaningDeployment : DeploymentRecord
    {
        public long OutboxId { get; init; }
    }
}
