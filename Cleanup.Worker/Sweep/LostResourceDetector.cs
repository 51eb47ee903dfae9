using StackExchange.Redis;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>
/// Finds ready deployments whose Redis ACL user is gone (Redis runs without persistence locally, so a restart
/// forgets every user and key). Race-free by order: the users are read first, and only deployments that were ready
/// before that read count, since a ready deployment had its user when it became ready.
/// </summary>
public sealed class LostResourceDetector(
    IConnectionMultiplexer redis,
    PlatformDeployments deployments,
    TimeProvider time)
{
    // Clocks of the orchestrator (ready_at) and of this worker may differ a little.
    private static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<long>> FindAsync(CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        var users = ((RedisResult[])(await redis.GetDatabase().ExecuteAsync("ACL", "USERS").WaitAsync(cancellationToken))!)
            .Select(u => (string?)u).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var ready = await deployments.ReadySinceAsync(readAt - ClockMargin, cancellationToken);
        return [.. ready.Where(id => !users.Contains(new Sdp.Contracts.CandidateResourceNames(id).RedisUser))];
    }

    public const string Reason =
        "Its Redis user vanished (Redis restarted without persistence), and its keys with it; the deployment was " +
        "failed and removed rather than silently given an empty store. Deploy again.";
}
