using System.Text.Json;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Database;
using Sdp.Orchestrator.Api.Generation;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// A deployment as the API shows it; the seed's field names, in snake_case. <c>warm_start</c> says it was a standby
/// slot, ready the moment it was accepted (<c>timings</c> then are the slot's own, from when it was built).
/// A custom deployment shows the <c>service_spec</c> it runs; <c>generated</c> says a model wrote it from the design
/// text, and <c>generation</c> what that took (time and tokens; zero tokens when the spec was remembered).
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
    bool WarmStart,
    JsonElement? ServiceSpec,
    bool Generated,
    GenerationUsage? Generation)
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
                record.CleaningAt.AsUtc(), record.DeletedAt.AsUtc(), record.FailedAt.AsUtc(),
                record.GeneratingAt.AsUtc()),
            record.Timings is null ? null : JsonSerializer.Deserialize<ProvisioningTimings>(record.Timings),
            record.Error,
            record.ExpiresAt.AsUtc(),
            record.CleanupReason,
            JsonSerializer.Deserialize<Dictionary<string, string>>(record.Settings) ?? [],
            record.WarmStart,
            record.ServiceSpec is null ? null : JsonSerializer.Deserialize<JsonElement>(record.ServiceSpec),
            record.Generated,
            record.Generation is null ? null : JsonSerializer.Deserialize<GenerationUsage>(record.Generation, GenerationUsageJson.Options));
    }

}

public sealed record DeploymentResources(string DatabaseSchema, string RedisPrefix);

/// <summary>
/// When each state was reached; null for states not (yet) reached. A generated deployment is queued once its spec is
/// there (until then <c>queued</c> is the time it was accepted).
/// </summary>
public sealed record DeploymentTimestamps(
    DateTimeOffset Queued,
    DateTimeOffset? Provisioning,
    DateTimeOffset? Ready,
    DateTimeOffset? Cleaning,
    DateTimeOffset? Deleted,
    DateTimeOffset? Failed,
    DateTimeOffset? Generating = null);

public sealed record DeploymentPage(IReadOnlyList<DeploymentResponse> Items, string? NextCursor);
