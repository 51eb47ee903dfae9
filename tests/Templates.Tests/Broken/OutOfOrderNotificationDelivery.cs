using Microsoft.Extensions.Hosting;
using Npgsql;
using Sdp.Templates.Notifications;
using StackExchange.Redis;

namespace Sdp.Templates.Tests.Broken;

/// <summary>
/// Delivers each notification on its own, without the user's lock, and holds odd sequence numbers back for half a
/// second (in the background, acknowledging the entry at once): later notifications overtake them.
/// </summary>
internal sealed class OutOfOrderNotificationDelivery(
    NotificationStore store,
    NotificationPublisher publisher,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime) : INotificationDelivery
{
    private static readonly TimeSpan HoldBack = TimeSpan.FromMilliseconds(500);

    public async Task DeliverAsync(long notificationId, CancellationToken cancellationToken)
    {
        var notification = await store.FindAsync(notificationId, cancellationToken);
        if (notification is null || notification.Status != Notification.Queued)
        {
            return;
        }

        if (notification.Sequence % 2 == 1)
        {
            _ = DeliverLaterAsync(notificationId, lifetime.ApplicationStopping);
            return;
        }

        await DeliverNowAsync(notificationId, cancellationToken);
    }

    private async Task DeliverLaterAsync(long notificationId, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(HoldBack, timeProvider, stopping);
            await DeliverNowAsync(notificationId, stopping);
        }
        catch (Exception exception) when (exception is OperationCanceledException or NpgsqlException or RedisException)
        {
            // The app stopped or a store failed: this broken variant simply loses the notification.
        }
    }

    private async Task DeliverNowAsync(long notificationId, CancellationToken cancellationToken)
    {
        if (await store.MarkDeliveredAsync(notificationId, timeProvider.GetUtcNow(), cancellationToken) is { } delivered)
        {
            await publisher.PublishAsync(delivered, cancellationToken);
        }
    }
}
