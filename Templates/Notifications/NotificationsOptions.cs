using Microsoft.Extensions.Configuration;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.Notifications;

/// <summary>The notification system's settings, read and validated once at start-up.</summary>
internal sealed record NotificationsOptions(int DeliveryBatchSize, TimeSpan ReclaimAfter, TimeSpan Heartbeat)
{
    public static NotificationsOptions From(IConfiguration configuration) => new(
        configuration.ReadInteger(NotificationsTemplate.DeliveryBatchSize),
        TimeSpan.FromSeconds(configuration.ReadInteger(NotificationsTemplate.ReclaimAfterSeconds)),
        TimeSpan.FromSeconds(configuration.ReadInteger(NotificationsTemplate.HeartbeatSeconds)));
}
