using System.Text.Json;
using Sdp.Templates.Dependencies;
using StackExchange.Redis;

namespace Sdp.Templates.Notifications;

/// <summary>Publishes delivered notifications as JSON on <c>{prefix}user:{user_id}</c>, and subscribes to them.</summary>
internal sealed class NotificationPublisher(RedisConnection redis, RedisKeyspace keyspace)
{
    public RedisChannel ChannelFor(string userId) => RedisChannel.Literal(keyspace.Key("user:" + userId));

    public async Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        var json = JsonSerializer.Serialize(notification.ToResponse(), NotificationsJsonContext.Default.NotificationResponse);
        await database.PublishAsync(ChannelFor(notification.UserId), json).WaitAsync(cancellationToken);
    }

    /// <summary>A queue of what is published for <paramref name="userId"/> from now on; unsubscribe it when done.</summary>
    public async Task<ChannelMessageQueue> SubscribeAsync(string userId, CancellationToken cancellationToken)
    {
        var subscriber = await redis.GetSubscriberAsync(cancellationToken);
        return await subscriber.SubscribeAsync(ChannelFor(userId)).WaitAsync(cancellationToken);
    }
}
