namespace Sdp.Templates.Notifications;

/// <summary>The notification system's core, behind an interface so a test can swap in a deliberately broken one.</summary>
internal interface INotificationDelivery
{
    /// <summary>
    /// Delivers notification <paramref name="notificationId"/> (taken from the queue): marks it delivered and
    /// publishes it, once and in order for its user. Safe to call again for the same id.
    /// </summary>
    Task DeliverAsync(long notificationId, CancellationToken cancellationToken);
}
