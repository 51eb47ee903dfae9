using Microsoft.Extensions.Configuration;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.Notifications;

/// <summary>The notification system's settings, read and validated once at start-up.</summary>
internal sealed record NotificationsOptions(int DeliveryBatchSize, TimeSpan ReclaimAfter, TimeSpan Heartbeat)
{
    public static NotificationsOptions From(IConfiguration configuration) => new(
        configuration.ReadInteger(NotificationsTemplate.DeliveryBatchSize, 1, 1000),
        TimeSpan.FromSeconds(configuration.ReadInteger(NotificationsTemplate.ReclaimAfterSeconds, 1, 3600)),
        TimeSpan.FromSeconds(configuration.ReadInteger(NotificationsTemplate.HeartbeatSeconds, 1, 300)));
}
