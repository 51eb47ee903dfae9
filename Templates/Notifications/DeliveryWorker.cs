using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sdp.Templates.Dependencies;
using StackExchange.Redis;

namespace Sdp.Templates.Notifications;

/// <summary>
/// The app's one delivery loop, from its first request until it stops. Each pass: take back entries another
/// consumer left unacknowledged past the reclaim time (it crashed), take new entries, deliver each and acknowledge
/// it. Between passes it sleeps until woken by an enqueue or for at most a second. Every reclaim interval it also
/// re-queues notifications whose stream entry never arrived (a crash between saving and XADD, or Redis down then).
/// </summary>
internal sealed class DeliveryWorker(
    FirstRequestSignal firstRequest,
    IServiceProvider services,
    NotificationsOptions options,
    TimeProvider timeProvider,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    // One consumer name per app instance: Redis tracks which entries each instance holds.
    private readonly string consumer = "instance-" + Guid.NewGuid().ToString("N")[..12];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await firstRequest.Arrived.WaitAsync(stoppingToken);
            // Resolved now, not at start-up: the data stores are created on first use.
            var queue = services.GetRequiredService<NotificationQueue>();
            var delivery = services.GetRequiredService<INotificationDelivery>();
            var store = services.GetRequiredService<NotificationStore>();
            var redis = services.GetRequiredService<RedisConnection>();
            await RunAsync(queue, delivery, store, redis, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping; unacknowledged entries are reclaimed by another instance or the next start.
        }
    }

    private async Task RunAsync(NotificationQueue queue, INotificationDelivery delivery, NotificationStore store,
        RedisConnection redis, CancellationToken stoppingToken)
    {
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        ChannelMessageQueue? wakeSubscription = null;
        var groupReady = false;
        var lastReclaim = long.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (wakeSubscription is null)
                    {
                        var subscriber = await redis.GetSubscriberAsync(stoppingToken);
                        wakeSubscription = await subscriber.SubscribeAsync(queue.WakeChannel).WaitAsync(stoppingToken);
                        wakeSubscription.OnMessage(_ => wake.Writer.TryWrite(true));
                    }

                    if (!groupReady)
                    {
                        await queue.EnsureGroupAsync(stoppingToken);
                        groupReady = true;
                    }

                    var delivered = 0;
                    if (lastReclaim == long.MinValue || timeProvider.GetElapsedTime(lastReclaim) >= options.ReclaimAfter / 2)
                    {
                        lastReclaim = timeProvider.GetTimestamp();
                        delivered += await DeliverAllAsync(queue, delivery,
                            await queue.ReclaimStaleAsync(consumer, options.ReclaimAfter, options.DeliveryBatchSize, stoppingToken), stoppingToken);
                        await RequeueLostAsync(queue, store, stoppingToken);
                    }

                    delivered += await DeliverAllAsync(queue, delivery,
                        await queue.TakeNewAsync(consumer, options.DeliveryBatchSize, stoppingToken), stoppingToken);
                    if (delivered == 0)
                    {
                        await WaitForWorkAsync(wake.Reader, stoppingToken);
                    }
                }
                catch (RedisServerException exception) when (exception.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
                {
                    // The stream or group was removed (e.g. the key was deleted): create them again.
                    groupReady = false;
                }
                catch (Exception exception) when (exception is RedisException or NpgsqlException or TimeoutException)
                {
                    logger.LogWarning(exception, "Notification delivery failed; retrying in {RetryDelay}", RetryDelay);
                    await Task.Delay(RetryDelay, timeProvider, stoppingToken);
                }
            }
        }
        finally
        {
            if (wakeSubscription is not null)
            {
                await wakeSubscription.UnsubscribeAsync();
            }
        }
    }

    private static async Task<int> DeliverAllAsync(NotificationQueue queue, INotificationDelivery delivery,
        IReadOnlyList<QueuedNotification> entries, CancellationToken stoppingToken)
    {
        foreach (var entry in entries)
        {
            if (entry.NotificationId > 0)
            {
                await delivery.DeliverAsync(entry.NotificationId, stoppingToken);
            }

            // Only after delivery: an entry whose delivery failed stays pending and is reclaimed later.
            await queue.CompleteAsync(entry.EntryId, stoppingToken);
        }

        return entries.Count;
    }

    private async Task RequeueLostAsync(NotificationQueue queue, NotificationStore store, CancellationToken stoppingToken)
    {
        // Only when the stream is empty (entries leave it once delivered, so nothing is waiting or in progress)
        // and only rows older than twice the reclaim time: those can no longer have an entry on the way.
        if (await queue.LengthAsync(stoppingToken) > 0)
        {
            return;
        }

        var lost = await store.FindStaleQueuedAsync(timeProvider.GetUtcNow() - (options.ReclaimAfter * 2), options.DeliveryBatchSize, stoppingToken);
        foreach (var id in lost)
        {
            logger.LogInformation("Re-queueing notification {NotificationId}, queued without a stream entry", id);
            await queue.EnqueueAsync(id, stoppingToken);
        }
    }

    private async Task WaitForWorkAsync(ChannelReader<bool> wake, CancellationToken stoppingToken)
    {
        using var idle = new CancellationTokenSource(IdlePoll, timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, idle.Token);
        try
        {
            await wake.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Polled once a second regardless, so a lost wake-up costs at most a second.
        }
    }
}
