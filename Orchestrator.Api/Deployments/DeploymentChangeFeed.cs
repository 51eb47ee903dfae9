using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using Sdp.Orchestrator.Api.Database;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// Wakes requests waiting for a deployment's state to change. Listens on PostgreSQL's
/// <c>deployment_state</c> channel, which a trigger notifies on every state change, so it sees changes made
/// by any replica. When the listening connection drops, every waiter is woken to re-read its deployment.
/// </summary>
public sealed class DeploymentChangeFeed(NpgsqlDataSource database, TimeProvider time,
    ILogger<DeploymentChangeFeed> logger)
    : BackgroundService
{
    public const string Channel = "deployment_state";

    private readonly ConcurrentDictionary<long, TaskCompletionSource> waiters = new();

    /// <summary>
    /// A task that completes at the next change of deployment <paramref name="id"/> (or when the feed
    /// reconnects). Take it before reading the state, so a change between the read and the wait is not missed.
    /// </summary>
    public Task NextChange(long id) =>
        waiters.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>
    /// Drops a wait nobody needs any more, so deployments that never change again hold no memory. Anyone else
    /// waiting on the same change is woken to look again, which costs a read, never a missed change.
    /// </summary>
    public void Release(long id, Task change)
    {
        if (waiters.TryGetValue(id, out var waiter) && waiter.Task == change
            && waiters.TryRemove(new KeyValuePair<long, TaskCompletionSource>(id, waiter)))
        {
            waiter.TrySetResult();
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PostgresChannel.ListenAsync(database, Channel,
            notified: payload =>
            {
                if (long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    Wake(id);
                }
            },
            // Changes made while not listening are unknown: let every waiter look again.
            listening: WakeAll,
            lost: exception =>
            {
                logger.LogWarning(exception, "Deployment change feed lost its connection; reconnecting");
                WakeAll();
            },
            time, stoppingToken);

    private void Wake(long id)
    {
        if (waiters.TryRemove(id, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    private void WakeAll()
    {
        foreach (var id in waiters.Keys)
        {
            Wake(id);
        }
    }
}
