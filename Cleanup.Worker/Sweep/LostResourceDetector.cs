using Sdp.Provisioning.Targets;
using StackExchange.Redis;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>
/// Finds ready deployments and ready standby slots that lost part of what they run on: their Redis ACL user, or their
/// service (gone, failed, or answering at another URL than the one they were given). See
/// <see cref="LostResourceRules"/>. One <c>ACL USERS</c> and one listing of the target's services per look, whatever
/// the number of deployments. Race-free by order: Redis and the target are read first, and only deployments that were
/// ready before that read count, since a ready deployment had its user and its service at its URL when it became
/// ready; one still being built, or cleaned meanwhile, is not ready when the deployments are read after.
/// </summary>
public sealed class LostResourceDetector(
    IConnectionMultiplexer redis,
    IDeploymentTargetInventory target,
    PlatformDeployments deployments,
    TimeProvider time)
{
    // Clocks of the orchestrator (ready_at) and of this worker may differ a little.
    private static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<LostDeployment>> FindAsync(CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        var users = ((RedisResult[])(await redis.GetDatabase().ExecuteAsync("ACL", "USERS").WaitAsync(cancellationToken))!)
            .Select(u => (string?)u).OfType<string>().ToHashSet(StringComparer.Ordinal);
        // A deployment has one service; should two claim the same id, the one that serves speaks for it.
        var services = (await target.ListSdpServicesAsync(cancellationToken))
            .GroupBy(s => s.DeploymentId)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Condition == TargetServiceCondition.Ready ? 0 : 1).First());
        var ready = await deployments.ReadyBeforeAsync(readAt - ClockMargin, cancellationToken);
        return
        [
            .. ready.Select(d => (Deployment: d, Reason: LostResourceRules.Why(d, users, services)))
                .Where(d => d.Reason is not null)
                .Select(d => new LostDeployment(d.Deployment.Id, d.Deployment.IsStandby, d.Reason!)),
        ];
    }
}

/// <summary>A ready deployment, or standby slot (<paramref name="IsStandby"/>), found lost, and why.</summary>
public sealed record LostDeployment(long Id, bool IsStandby, string Reason);
