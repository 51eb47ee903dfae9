namespace Sdp.Contracts;

// The cleanup sweep and the orphan reconciler: the Orchestrator asks, Cleanup.Worker answers (request/response).

/// <summary>Orchestrator → Cleanup: run the sweep now (<see cref="Trigger"/>: <c>manual</c>) and answer with what it removed.</summary>
public sealed record RunCleanupSweep(string Trigger, DateTimeOffset RequestedAt);

/// <summary>Cleanup → Orchestrator: the sweep's outcome.</summary>
/// <param name="Removed">What was removed, by kind (see <see cref="OrphanKinds"/>).</param>
/// <param name="LostDeployments">
/// Ready deployments and standby slots found without their Redis user or their service, reported as lost.
/// </param>
public sealed record CleanupSweepCompleted(
    IReadOnlyDictionary<string, long> Removed,
    IReadOnlyList<OrphanedResource> Orphans,
    IReadOnlyList<long> LostDeployments,
    double DurationMs,
    DateTimeOffset CompletedAt);

/// <summary>Orchestrator → Cleanup: list what the reconciler would remove, removing nothing.</summary>
public sealed record ListOrphans(DateTimeOffset RequestedAt);

/// <summary>Cleanup → Orchestrator: what the reconciler would remove now, and what it would still wait for.</summary>
public sealed record OrphansListed(IReadOnlyList<OrphanedResource> Orphans, IReadOnlyList<long> LostDeployments,
    DateTimeOffset ListedAt);

/// <summary>
/// A resource that belongs to no live deployment. <see cref="DeploymentState"/> is null when Sdp has no record of
/// the deployment at all. <see cref="RemovableAfter"/> is when its grace period ends (null: it has ended).
/// </summary>
public sealed record OrphanedResource(string Kind, string Name, long DeploymentId, string? DeploymentState,
    DateTimeOffset? RemovableAfter);

/// <summary>The kinds of candidate resources, as the reconciler counts them.</summary>
public static class OrphanKinds
{
    public const string Schema = "schema";
    public const string Role = "role";
    public const string RedisUser = "redis_user";
    public const string RedisKeys = "redis_keys";
    public const string Service = "service";

    public static IReadOnlyList<string> All { get; } = [Schema, Role, RedisUser, RedisKeys, Service];
}

/// <summary>
/// Cleanup → Orchestrator: a ready deployment or standby slot lost part of what it runs on: its Redis user vanished
/// (and its keys with it), or its Cloud Run service is gone, has failed, or answers at another URL than the
/// deployment's. The Orchestrator fails a deployment and has it cleaned, and removes a slot (the refiller replaces
/// it). <see cref="Reason"/> is shown to the candidate.
/// </summary>
public sealed record DeploymentLost(long DeploymentId, string Reason, DateTimeOffset DetectedAt);
