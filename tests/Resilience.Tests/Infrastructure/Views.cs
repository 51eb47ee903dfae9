namespace Sdp.Resilience.Tests.Infrastructure;

/// <summary>The API's deployment JSON, the fields these tests read.</summary>
public sealed record DeploymentView(long Id, string State, string? Error, DateTimeOffset ExpiresAt, string? CleanupReason,
    TimestampsView Timestamps, string? EndpointUrl = null, bool WarmStart = false);

public sealed record TimestampsView(DateTimeOffset Queued, DateTimeOffset? Provisioning, DateTimeOffset? Ready,
    DateTimeOffset? Cleaning, DateTimeOffset? Deleted, DateTimeOffset? Failed);

public sealed record CleanupRunView(DeadlineCheckView? DeadlineCheck, Dictionary<string, long> Removed,
    List<OrphanView> Orphans, List<long> LostDeployments, double DurationMs);

public sealed record DeadlineCheckView(int Expired, int Retried, int Failed);

public sealed record OrphansView(List<OrphanView> Orphans, Dictionary<string, long> Counts, List<long> LostDeployments);

public sealed record OrphanView(string Kind, string Name, long DeploymentId, string? DeploymentState,
    DateTimeOffset? RemovableAfter);
