using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Sdp.Templates.Notifications;
using StackExchange.Redis;

namespace Sdp.Templates.Tests.Broken;

/// <summary>
/// Delivers each notification on its own, without the user's lock, and holds odd sequence numbers back (in the
/// background, acknowledging the entry at once) until a later notification of the same user has been delivered:
/// the later one overtakes them every time, however slow the machine. One that no later notification follows goes
/// after <see cref="MaxHoldBack"/>.
/// </summary>
internal sealed class OutOfOrderNotificationDelivery(
    NotificationStore store,
    NotificationPublisher publisher,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime) : INotificationDelivery
{
    private static readonly TimeSpan MaxHoldBack = TimeSpan.FromSeconds(3);

    /// <summary>Per user, completed when one of the user's notifications is delivered, then replaced.</summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource> deliveredNext = new(StringComparer.Ordinal);

    public async Task DeliverAsync(long notificationId, CancellationToken cancellationToken)
    {
        var notification = await store.FindAsync(notificationId, cancellationToken);
        if (notification is null || notification.Status != Notification.Queued)
        {
            return;
        }

        if (notification.Sequence % 2 == 1)
        {
            // Taken now, before anything later can be delivered, so only a later delivery releases it.
            var overtaken = NextDelivery(notification.UserId).Task;
            _ = DeliverLaterAsync(notificationId, notification.UserId, overtaken, lifetime.ApplicationStopping);
            return;
        }

        await DeliverNowAsync(notificationId, notification.UserId, cancellationToken);
    }

    private async Task DeliverLaterAsync(long notificationId, string userId, Task overtaken, CancellationToken stopping)
    {
        try
        {
            await Task.WhenAny(overtaken, Task.Delay(MaxHoldBack, timeProvider, stopping));
            stopping.ThrowIfCancellationRequested();
            await DeliverNowAsync(notificationId, userId, stopping);
        }
        catch (Exception exception) when (exception is OperationCanceledException or NpgsqlException or RedisException)
        {
            // The app stopped or a store failed: this broken variant simply loses the notification.
        }
    }

    private async Task DeliverNowAsync(long notificationId, string userId, CancellationToken cancellationToken)
    {
        if (await store.MarkDeliveredAsync(notificationId, timeProvider.GetUtcNow(), cancellationToken) is { } delivered)
        {
            await publisher.PublishAsync(delivered, cancellationToken);
            if (deliveredNext.TryRemove(userId, out var waiting))
            {
                waiting.TrySetResult();
            }
        }
    }

    private TaskCompletionSource NextDelivery(string userId) => deliveredNext.GetOrAdd(userId,
        _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
