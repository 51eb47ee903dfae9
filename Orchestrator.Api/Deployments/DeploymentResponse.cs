using System.Text.Json;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Database;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// A deployment as the API shows it; the seed's field names, in snake_case. <c>warm_start</c> says it was a standby
/// slot, ready the moment it was accepted (<c>timings</c> then are the slot's own, from when it was built).
/// </summary>
public sealed record DeploymentResponse(
    long Id,
    Guid TenantId,
    string State,
    string ProblemType,
    string? SubmissionId,
    bool Success,
    string? EndpointUrl,
    double? DeploymentTimeSeconds,
    DeploymentResources Resources,
    DeploymentTimestamps Timestamps,
    ProvisioningTimings? Timings,
    string? Error,
    DateTimeOffset ExpiresAt,
    string? CleanupReason,
    IReadOnlyDictionary<string, string> Settings,
    bool WarmStart)
{
    public static DeploymentResponse From(DeploymentRecord record)
    {
        var names = new CandidateResourceNames(record.Id);
        return new DeploymentResponse(
            record.Id,
            record.TenantId,
            record.State,
            record.ProblemType,
            record.SubmissionId,
            Success: record.ReadyAt is not null && record.State != DeploymentState.Failed,
            record.EndpointUrl,
            record.DeploymentTimeSeconds is { } seconds ? Math.Round(seconds, 4) : null,
            new DeploymentResources(names.DatabaseSchema, names.RedisPrefix),
            new DeploymentTimestamps(record.QueuedAt.AsUtc(), record.ProvisioningAt.AsUtc(), record.ReadyAt.AsUtc(),
                record.CleaningAt.AsUtc(), record.DeletedAt.AsUtc(), record.FailedAt.AsUtc()),
            record.Timings is null ? null : JsonSerializer.Deserialize<ProvisioningTimings>(record.Timings),
            record.Error,
            record.ExpiresAt.AsUtc(),
            record.CleanupReason,
            JsonSerializer.Deserialize<Dictionary<string, string>>(record.Settings) ?? [],
            record.WarmStart);
    }


}

public sealed record DeploymentResources(string DatabaseSchema, string RedisPrefix);

/// <summary>When each state was reached; null for states not (yet) reached.</summary>
public sealed record DeploymentTimestamps(
    DateTimeOffset Queued,
    DateTimeOffset? Provisioning,
    DateTimeOffset? Ready,
    DateTimeOffset? Cleaning,
    DateTimeOffset? Deleted,
    DateTimeOffset? Failed);

public sealed record DeploymentPage(IReadOnlyList<DeploymentResponse> Items, string? NextCursor);
