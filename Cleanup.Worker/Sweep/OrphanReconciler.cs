using Microsoft.Extensions.Options;
using Sdp.Contracts;
using Sdp.Provisioning.Candidates;
using Sdp.Provisioning.Inventory;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>
/// Compares what exists (schemas, roles, Redis users and keys, services) with the deployments that are live, and
/// removes what belongs to none once its grace period is over: a deployment that ended (deleted or failed) less than
/// <see cref="CleanupSweepOptions.OrphanGracePeriod"/> ago may still have a cleanup under way. Resources of a
/// deployment Sdp has no record of belong to nothing in flight and go at once.
/// </summary>
public sealed class OrphanReconciler(
    CandidateInventory inventory,
    PlatformDeployments deployments,
    CandidateTeardown teardown,
    IOptions<CleanupSweepOptions> options,
    TimeProvider time,
    ILogger<OrphanReconciler> logger)
{
    public async Task<IReadOnlyList<OrphanedResource>> FindAsync(CancellationToken cancellationToken)
    {
        var found = await inventory.ListAsync(cancellationToken);
        var owners = await deployments.GetAsync(found.DeploymentIds, cancellationToken);
        var now = time.GetUtcNow();
        var orphans = new List<OrphanedResource>();
        foreach (var id in found.DeploymentIds.Order())
        {
            var owner = owners.GetValueOrDefault(id);
            if (owner is { IsLive: true })
            {
                continue;
            }

            DateTimeOffset? removableAfter = null;
            if (owner is not null)
            {
                var graceEnds = new DateTimeOffset(DateTime.SpecifyKind(owner.UpdatedAt, DateTimeKind.Utc))
                                + options.Value.OrphanGracePeriod;
                removableAfter = graceEnds > now ? graceEnds : null;
            }

            var names = new CandidateResourceNames(id);
            void Add(string kind, string name) => orphans.Add(new OrphanedResource(kind, name, id, owner?.State, removableAfter));
            if (found.Services.TryGetValue(id, out var serviceId))
            {
                Add(OrphanKinds.Service, serviceId);
            }

            if (found.Schemas.Contains(id))
            {
                Add(OrphanKinds.Schema, names.DatabaseSchema);
            }

            if (found.Roles.Contains(id))
            {
                Add(OrphanKinds.Role, names.DatabaseRole);
            }

            if (found.RedisUsers.Contains(id))
            {
                Add(OrphanKinds.RedisUser, names.RedisUser);
            }

            if (found.RedisKeyCounts.ContainsKey(id))
            {
                Add(OrphanKinds.RedisKeys, names.RedisPrefix + "*");
            }
        }

        return orphans;
    }

    /// <summary>Removes the orphans whose grace period is over; returns what was removed, by kind.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RemoveAsync(IReadOnlyList<OrphanedResource> orphans,
        CancellationToken cancellationToken)
    {
        var removed = OrphanKinds.All.ToDictionary(kind => kind, _ => 0L);
        foreach (var owned in orphans.Where(o => o.RemovableAfter is null).GroupBy(o => o.DeploymentId))
        {
            var kinds = owned.Select(o => o.Kind).ToHashSet();
            // The same idempotent teardown as a DELETE, so what it leaves out is never half-removed.
            var report = await teardown.RemoveAsync(new CandidateResourceNames(owned.Key), cancellationToken);
            removed[OrphanKinds.Service] += report.ServiceRemoved ? 1 : 0;
            removed[OrphanKinds.Schema] += report.DatabaseRemoved && kinds.Contains(OrphanKinds.Schema) ? 1 : 0;
            removed[OrphanKinds.Role] += report.DatabaseRemoved && kinds.Contains(OrphanKinds.Role) ? 1 : 0;
            removed[OrphanKinds.RedisUser] += report.RedisUserRemoved ? 1 : 0;
            removed[OrphanKinds.RedisKeys] += report.KeysRemoved;
            logger.LogWarning("Removed orphaned resources of deployment {DeploymentId} ({DeploymentState}): {Kinds}",
                owned.Key, owned.First().DeploymentState ?? "unknown", string.Join(", ", kinds.Order()));
        }

        return removed;
    }
}
