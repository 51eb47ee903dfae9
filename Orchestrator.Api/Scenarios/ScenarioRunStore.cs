using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.CustomSpecs;
using Sdp.Orchestrator.Api.Deployments;
using Sdp.Orchestrator.Api.Outbox;
using Sdp.Orchestrator.Api.Quotas;
using Sdp.Orchestrator.Api.Database;

namespace Sdp.Orchestrator.Api.Scenarios;

/// <summary>
/// The platform's record of scenario runs. A run and its ScenarioRunRequested message are saved in one
/// transaction; progress and completion reports are applied conditionally, so redelivery changes nothing.
/// </summary>
public sealed class ScenarioRunStore(NpgsqlDataSource database, TimeProvider time,
    IOptions<TenantQuotaOptions> quotaDefaults)
{
    private const string Select = $"SELECT {ScenarioRunRecord.Columns} FROM platform.scenario_runs";

    // A run's correctness checks and start-up, on top of its load phase: for the expected end of a run in flight.
    private const int ExpectedCheckSeconds = 30;

    private sealed record RunsInFlight(long Count, DateTime? ExpectedEnd);

    /// <summary>How the report is stored and shown: the API's own snake_case.</summary>
    public static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>
    /// Saves a queued run of a ready deployment of <paramref name="tenantId"/> and its ScenarioRunRequested message
    /// atomically, unless the tenant is at its quota of runs in flight (counted under a lock on the tenant's row).
    /// </summary>
    public async Task<ScenarioRunCreation> CreateAsync(long deploymentId, Guid tenantId, ScenarioLoad load,
        bool cleanupAfterTest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // FOR SHARE: a concurrent DELETE waits until this run is saved, and then sees it.
        var deployment = await connection.QuerySingleOrDefaultAsync<DeploymentTarget>(new CommandDefinition("""
            SELECT state, problem_type AS ProblemType, endpoint_url AS EndpointUrl, service_spec::text AS ServiceSpec
            FROM platform.deployments WHERE id = @deploymentId AND tenant_id = @tenantId FOR SHARE
            """, new { deploymentId, tenantId }, transaction, cancellationToken: cancellationToken));
        if (deployment is null)
        {
            return new ScenarioRunCreation.DeploymentNotFound();
        }

        if (deployment.State != DeploymentState.Ready || deployment.EndpointUrl is null)
        {
            return new ScenarioRunCreation.DeploymentNotReady(deployment.State);
        }

        var inFlight = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            SELECT id FROM platform.scenario_runs
            WHERE deployment_id = @deploymentId AND state IN ('queued', 'running')
            """, new { deploymentId }, transaction, cancellationToken: cancellationToken));
        if (inFlight is { } runId)
        {
            return new ScenarioRunCreation.RunInFlight(runId);
        }

        var ownLimit = await connection.QuerySingleAsync<int?>(new CommandDefinition(
            "SELECT max_scenario_runs_in_flight FROM platform.tenants WHERE id = @tenantId FOR UPDATE",
            new { tenantId }, transaction, cancellationToken: cancellationToken));
        var limit = ownLimit ?? quotaDefaults.Value.MaxScenarioRunsInFlight;
        var usage = await connection.QuerySingleAsync<RunsInFlight>(new CommandDefinition("""
            SELECT count(*) AS Count,
                   min(created_at + make_interval(secs => duration_seconds) + make_interval(secs => @slack)) AS ExpectedEnd
            FROM platform.scenario_runs WHERE tenant_id = @tenantId AND state IN ('queued', 'running')
            """, new { tenantId, slack = ExpectedCheckSeconds }, transaction, cancellationToken: cancellationToken));
        if (ScenarioRunQuota.Check(limit, usage.Count, usage.ExpectedEnd.AsUtc()) is { } exceeded)
        {
            return new ScenarioRunCreation.Refused(exceeded);
        }

        var now = time.GetUtcNow();
        ScenarioRunRecord run;
        try
        {
            run = await connection.QuerySingleAsync<ScenarioRunRecord>(new CommandDefinition($"""
                INSERT INTO platform.scenario_runs (deployment_id, tenant_id, problem_type, state, requests_per_second,
                    duration_seconds, concurrency, cleanup_after_test, created_at)
                VALUES (@deploymentId, @tenantId, @problemType, 'queued', @rps, @duration, @concurrency,
                        @cleanupAfterTest, @now)
                RETURNING {ScenarioRunRecord.Columns}
                """, new
            {
                deploymentId,
                tenantId,
                problemType = deployment.ProblemType,
                rps = load.RequestsPerSecond,
                duration = load.DurationSeconds,
                concurrency = load.Concurrency,
                cleanupAfterTest,
                now,
            }, transaction, cancellationToken: cancellationToken));
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another request started a run between the check above and this insert.
            return new ScenarioRunCreation.RunInFlight(null);
        }

        // A custom deployment (given or generated) runs the custom scenario over its own spec.
        var spec = DeploymentRequests.ReadServiceSpec(deployment.ServiceSpec);
        var requested = new ScenarioRunRequested(run.Id, deploymentId,
            spec is null ? deployment.ProblemType : CustomDeployments.ProblemType, deployment.EndpointUrl, load, now, spec);
        var message = await OutboxWriter.SaveAsync(connection, transaction, requested, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ScenarioRunCreation.Created(run, message);
    }

    public async Task<ScenarioRunRecord?> GetAsync(long deploymentId, long runId, Guid? tenantScope,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ScenarioRunRecord>(new CommandDefinition(
            $"{Select} WHERE id = @runId AND deployment_id = @deploymentId AND (@tenantScope::uuid IS NULL OR tenant_id = @tenantScope)",
            new { runId, deploymentId, tenantScope }, cancellationToken: cancellationToken));
    }

    /// <summary>A deployment's runs, newest first; null when the deployment does not exist.</summary>
    public async Task<IReadOnlyList<ScenarioRunRecord>?> ListAsync(long deploymentId, Guid? tenantScope, int limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM platform.deployments
                           WHERE id = @deploymentId AND (@tenantScope::uuid IS NULL OR tenant_id = @tenantScope))
            """, new { deploymentId, tenantScope }, cancellationToken: cancellationToken));
        if (!exists)
        {
            return null;
        }

        var rows = await connection.QueryAsync<ScenarioRunRecord>(new CommandDefinition(
            $"{Select} WHERE deployment_id = @deploymentId ORDER BY id DESC LIMIT @limit", new { deploymentId, limit },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Applies a progress report unless the run is over or a later report was applied already.</summary>
    public async Task ApplyProgressAsync(ScenarioRunProgressed progress, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform.scenario_runs
            SET state = 'running', started_at = COALESCE(started_at, @at), phase = @phase,
                requests_sent = @requestsSent, requests_planned = @requestsPlanned,
                checks_passed = @checksPassed, checks_failed = @checksFailed, progress_at = @at
            WHERE id = @runId AND state <> 'completed' AND (progress_at IS NULL OR progress_at <= @at)
            """, new
        {
            runId = progress.RunId,
            at = progress.At,
            phase = progress.Phase,
            requestsSent = progress.RequestsSent,
            requestsPlanned = progress.RequestsPlanned,
            checksPassed = progress.ChecksPassed,
            checksFailed = progress.ChecksFailed,
        }, cancellationToken: cancellationToken));
    }

    /// <summary>The run as it stands, for deciding what a completion report must still do; null when unknown.</summary>
    public async Task<ScenarioRunRecord?> FindAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ScenarioRunRecord>(new CommandDefinition(
            $"{Select} WHERE id = @runId", new { runId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Closes runs still queued or running <paramref name="grace"/> past their load duration (every scenario runner that
    /// held them is gone, or their request was lost) with outcome <c>error</c>. A report arriving later changes
    /// nothing. Returns the runs closed.
    /// </summary>
    public async Task<IReadOnlyList<AbandonedRun>> CloseOverdueAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AbandonedRun>(new CommandDefinition("""
            UPDATE platform.scenario_runs
            SET state = 'completed', outcome = 'error', phase = 'completed', completed_at = @now, progress_at = @now,
                report = jsonb_build_object(
                    'outcome', 'error', 'checks', '[]'::jsonb, 'load', NULL,
                    'error', 'No report arrived within ' || @graceSeconds || ' s after the run''s load duration; the run was abandoned.',
                    'started_at', COALESCE(started_at, created_at), 'finished_at', @now)
            WHERE state IN ('queued', 'running')
              AND created_at + make_interval(secs => duration_seconds + @graceSeconds) < @now
            RETURNING id AS RunId, deployment_id AS DeploymentId, cleanup_after_test AS CleanupAfterTest
            """, new { now, graceSeconds = (int)grace.TotalSeconds }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Saves the report; a second completion of the same run changes nothing.</summary>
    public async Task CompleteAsync(ScenarioRunCompleted completed, CancellationToken cancellationToken)
    {
        var report = completed.Report;
        var checksPassed = report.Checks.Count(check => check.Passed);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform.scenario_runs
            SET state = 'completed', outcome = @outcome, report = @report::jsonb, phase = 'completed',
                started_at = COALESCE(started_at, @startedAt), completed_at = @completedAt,
                checks_passed = @checksPassed, checks_failed = @checksFailed,
                requests_sent = GREATEST(requests_sent, @requests), progress_at = @completedAt
            WHERE id = @runId AND state <> 'completed'
            """, new
        {
            runId = completed.RunId,
            outcome = report.Outcome,
            report = JsonSerializer.Serialize(report, ReportJson),
            startedAt = report.StartedAt,
            completedAt = completed.CompletedAt,
            checksPassed,
            checksFailed = report.Checks.Count - checksPassed,
            requests = report.Load?.Requests ?? 0,
        }, cancellationToken: cancellationToken));
    }

    private sealed record DeploymentTarget(string State, string ProblemType, string? EndpointUrl, string? ServiceSpec);
}

/// <summary>What <see cref="ScenarioRunStore.CreateAsync"/> did.</summary>
/// <summary>A run closed for want of a report.</summary>
public sealed record AbandonedRun(long RunId, long DeploymentId, bool CleanupAfterTest);

public abstract record ScenarioRunCreation
{
    public sealed record Created(ScenarioRunRecord Run, OutboxMessage Message) : ScenarioRunCreation;

    public sealed record DeploymentNotFound : ScenarioRunCreation;

    public sealed record DeploymentNotReady(string State) : ScenarioRunCreation;

    /// <summary>A run is already queued or running; <see cref="RunId"/> when known.</summary>
    public sealed record RunInFlight(long? RunId) : ScenarioRunCreation;

    public sealed record Refused(QuotaExceeded Quota) : ScenarioRunCreation;
}
