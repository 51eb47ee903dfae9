using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// Wakes requests waiting for a deployment's state to change. Listens on PostgreSQL's
/// <c>deployment_state</c> channel, which a trigger notifies on every state change, so it sees changes made
/// by any replica. When the listening connection drops, every waiter is woken to re-read its deployment.
/// </summary>
public sealed class DeploymentChangeFeed(NpgsqlDataSource database, ILogger<DeploymentChangeFeed> logger)
    : BackgroundService
{
    public const string Channel = "deployment_state";
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) =>
                {
                    if (long.TryParse(notification.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    {
                        Wake(id);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Changes made while not listening are unknown: let every waiter look again.
                WakeAll();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Deployment change feed lost its connection; reconnecting");
                WakeAll();
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
        }
    }

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
