namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>One row of <c>platform.deployments</c>; times are UTC.</summary>
public class DeploymentRecord
{
    public long Id { get; init; }
    public Guid TenantId { get; init; }
    public required string ProblemType { get; init; }
    public string? SubmissionId { get; init; }
    public required string State { get; init; }
    public string? EndpointUrl { get; init; }
    public string? Error { get; init; }
    public double? DeploymentTimeSeconds { get; init; }
    public string? Timings { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime QueuedAt { get; init; }
    public DateTime? ProvisioningAt { get; init; }
    public DateTime? ReadyAt { get; init; }
    public DateTime? CleaningAt { get; init; }
    public DateTime? DeletedAt { get; init; }
    public DateTime? FailedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public string? CleanupReason { get; init; }
    public string Settings { get; init; } = "{}";
    public int Attempts { get; init; }
    public bool WarmStart { get; init; }

    /// <summary>A custom deployment's service spec (JSON), given or generated; null for a template's.</summary>
    public string? ServiceSpec { get; init; }

    /// <summary>Whether a model generated <see cref="ServiceSpec"/> from the design text.</summary>
    public bool Generated { get; init; }

    /// <summary>What the generation took (JSON of <c>GenerationUsage</c>), once it is over.</summary>
    public string? Generation { get; init; }

    public DateTime? GeneratingAt { get; init; }

    /// <summary>The columns above, for SELECT and RETURNING lists.</summary>
    public const string Columns = """
        id, tenant_id AS TenantId, problem_type AS ProblemType, submission_id AS SubmissionId, state, endpoint_url AS EndpointUrl, error,
        deployment_time_seconds AS DeploymentTimeSeconds, timings::text AS Timings, created_at AS CreatedAt,
        queued_at AS QueuedAt, provisioning_at AS ProvisioningAt, ready_at AS ReadyAt, cleaning_at AS CleaningAt,
        deleted_at AS DeletedAt, failed_at AS FailedAt, expires_at AS ExpiresAt, cleanup_reason AS CleanupReason,
        settings::text AS Settings, attempts, warm_start AS WarmStart, service_spec::text AS ServiceSpec, generated,
        generation::text AS Generation, generating_at AS GeneratingAt
        """;
}
