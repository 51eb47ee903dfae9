using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Orchestrator.Api.Deployments;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>
/// Turns a standby slot into a tenant's deployment, ready at once, inside the transaction that admits the request
/// (<c>DeploymentStore.CreateAsync</c>). A slot is handed out only when its service answers
/// (<see cref="StandbySlotProbe.AnswersClaimAsync"/>): the check runs while the slot's row is locked, so no other
/// request can take it meanwhile, and the slot becomes the deployment in the same transaction or stays a slot. A slot
/// that does not answer is marked (<c>unanswered_since</c>), skipped by claims until the slot prober finds it answering
/// again, and the next one is tried.
/// </summary>
public sealed partial class StandbyClaim(StandbySlotProbe probe, IOptions<StandbyOptions> options,
    ILogger<StandbyClaim> logger)
{
    /// <summary>
    /// Slots tried per request before the deployment is built on request: a pool full of dead slots (after a restart
    /// of Cloud Run, say) costs a request at most this many probe timeouts.
    /// </summary>
    public const int MaxSlotsTried = 3;

    /// <summary>
    /// Locks an answering slot that matches <paramref name="request"/> and returns its id, or null when there is none
    /// (or none among the first <see cref="MaxSlotsTried"/>). Called before the tenant's row is locked, so that
    /// concurrent requests of one tenant probe their slots at the same time rather than one after another; the slot
    /// stays locked until the transaction ends. The slots found silent stay marked when the caller commits.
    /// </summary>
    public async Task<long?> ReserveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        StandbyClaimRequest request, CancellationToken cancellationToken)
    {
        for (var tried = 0; tried < MaxSlotsTried; tried++)
        {
            // SKIP LOCKED: concurrent requests take different slots without waiting, also while one is being probed.
            // A slot marked silent earlier in this transaction no longer matches.
            var slot = await connection.QuerySingleOrDefaultAsync<CandidateSlot>(new CommandDefinition("""
                SELECT id, endpoint_url AS EndpointUrl FROM platform.standby_deployments
                WHERE state = 'ready' AND unanswered_since IS NULL
                  AND problem_type = @ProblemType AND settings = @Settings::jsonb
                ORDER BY id LIMIT 1
                FOR UPDATE SKIP LOCKED
                """, request, transaction, cancellationToken: cancellationToken));
            if (slot is null)
            {
                return null;
            }

            if (await probe.AnswersClaimAsync(slot.EndpointUrl, cancellationToken))
            {
                return slot.Id;
            }

            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE platform.standby_deployments SET unanswered_since = COALESCE(unanswered_since, @Now)
                WHERE id = @Id
                """, new { slot.Id, request.Now }, transaction, cancellationToken: cancellationToken));
            LogSilent(slot.Id, request.ProblemType, slot.EndpointUrl,
                options.Value.ClaimProbeTimeout.TotalMilliseconds);
        }

        return null;
    }

    /// <summary>Makes the reserved slot <paramref name="slotId"/> the tenant's deployment, ready at once.</summary>
    public static Task<DeploymentRecord> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        long slotId, StandbyClaimRequest request, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<DeploymentRecord>(new CommandDefinition($"""
            WITH slot AS (
                DELETE FROM platform.standby_deployments WHERE id = @SlotId RETURNING *
            ), created AS (
                INSERT INTO platform.deployments
                    (id, tenant_id, problem_type, design_text, submission_id, state, created_at, queued_at,
                     provisioning_at, ready_at, updated_at, expires_at, settings, endpoint_url, timings,
                     deployment_time_seconds, warm_start)
                OVERRIDING SYSTEM VALUE
                SELECT slot.id, @TenantId, slot.problem_type, @DesignText, @SubmissionId, 'ready', @Now, @Now,
                       @Now, @Now, @Now, @ExpiresAt, slot.settings, slot.endpoint_url, slot.timings, 0, true
                FROM slot
                RETURNING *
            )
            SELECT {DeploymentRecord.Columns} FROM created;
            """, new
        {
            SlotId = slotId,
            request.TenantId,
            request.DesignText,
            request.SubmissionId,
            request.Now,
            request.ExpiresAt,
        }, transaction, cancellationToken: cancellationToken));

    [LoggerMessage(LogLevel.Warning,
        "Standby slot {SlotId} ({ProblemType}) did not answer at {EndpointUrl} within {TimeoutMs:F0} ms; " +
        "it is skipped until it answers again")]
    private partial void LogSilent(long slotId, string problemType, string? endpointUrl, double timeoutMs);

    private sealed record CandidateSlot(long Id, string? EndpointUrl);
}

/// <summary>
/// What a claim needs of the request: the template and settings a slot must match (<paramref name="Settings"/> as
/// JSON), and what the deployment records.
/// </summary>
public sealed record StandbyClaimRequest(Guid TenantId, string ProblemType, string Settings, string DesignText,
    string? SubmissionId, DateTimeOffset Now, DateTimeOffset ExpiresAt);
