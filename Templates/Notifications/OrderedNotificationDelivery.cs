namespace Sdp.Templates.Notifications;

/// <summary>
/// Delivery that is in order per user and idempotent. Holding the user's lock, the notification and every earlier
/// queued one of the same user are marked delivered (committed), published in sequence order, then marked
/// published. A notification already published is never published again; one delivered but not yet published when
/// a process died is published by the next pass for that user. The one case where a subscriber can see a
/// notification twice is a crash between publishing and recording it, which the event stream filters by sequence.
/// </summary>
internal sealed class OrderedNotificationDelivery(NotificationStore store, NotificationPublisher publisher, TimeProvider timeProvider)
    : INotificationDelivery
{
    public async Task DeliverAsync(long notificationId, CancellationToken cancellationToken)
    {
        await using var delivery = await store.BeginDeliveryAsync(notificationId, cancellationToken);
        if (delivery is null)
        {
            return;
        }

        var notifications = await delivery.MarkDeliveredAsync(timeProvider.GetUtcNow(), cancellationToken);
        if (notifications.Count == 0)
        {
            return;
        }

        foreach (var notification in notifications)
        {
            await publisher.PublishAsync(notification, cancellationToken);
        }

        await delivery.MarkPublishedAsync(notifications, cancellationToken);
    }
}
