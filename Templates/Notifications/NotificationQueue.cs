using System.Globalization;
using Sdp.Templates.Dependencies;
using StackExchange.Redis;

namespace Sdp.Templates.Notifications;

/// <summary>
/// The delivery queue: a Redis stream <c>{prefix}notifications:queue</c> of notification ids, read through the
/// consumer group <c>delivery</c> so instances share the work, with a wake-up channel
/// <c>{prefix}notifications:wake</c> so an idle instance delivers at once instead of at its next poll.
/// </summary>
internal sealed class NotificationQueue(RedisConnection redis, RedisKeyspace keyspace)
{
    public const string Group = "delivery";
    private const string IdField = "id";

    public RedisKey StreamKey => keyspace.Key("notifications:queue");

    public RedisChannel WakeChannel => RedisChannel.Literal(keyspace.Key("notifications:wake"));

    /// <summary>XADD the id, then wake the deliverers.</summary>
    public async Task EnqueueAsync(long notificationId, CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        await database.StreamAddAsync(StreamKey, IdField, notificationId).WaitAsync(cancellationToken);
        await database.PublishAsync(WakeChannel, RedisValue.EmptyString).WaitAsync(cancellationToken);
    }

    /// <summary>Creates the stream and the group (from the stream's start, so nothing added earlier is skipped) unless they exist.</summary>
    public async Task EnsureGroupAsync(CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        try
        {
            await database.StreamCreateConsumerGroupAsync(StreamKey, Group, StreamPosition.Beginning, createStream: true)
                .WaitAsync(cancellationToken);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another instance, or an earlier start, created it.
        }
    }

    /// <summary>Entries no consumer has taken yet, now assigned to <paramref name="consumer"/>.</summary>
    public async Task<IReadOnlyList<QueuedNotification>> TakeNewAsync(string consumer, int count, CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        var entries = await database.StreamReadGroupAsync(StreamKey, Group, consumer, StreamPosition.NewMessages, count)
            .WaitAsync(cancellationToken);
        return Parse(entries);
    }

    /// <summary>
    /// Entries taken by some consumer (this one included) but not acknowledged for <paramref name="minIdle"/>:
    /// their consumer crashed or failed. XAUTOCLAIM gives them to <paramref name="consumer"/>.
    /// </summary>
    public async Task<IReadOnlyList<QueuedNotification>> ReclaimStaleAsync(string consumer, TimeSpan minIdle, int count,
        CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        var result = await database.StreamAutoClaimAsync(StreamKey, Group, consumer, (long)minIdle.TotalMilliseconds, "0-0", count)
            .WaitAsync(cancellationToken);
        return Parse(result.ClaimedEntries);
    }

    /// <summary>Entries waiting or in progress.</summary>
    public async Task<long> LengthAsync(CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        return await database.StreamLengthAsync(StreamKey).WaitAsync(cancellationToken);
    }

    /// <summary>Done with an entry: acknowledged and removed, so the stream holds only work in progress.</summary>
    public async Task CompleteAsync(RedisValue entryId, CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken);
        await database.StreamAcknowledgeAsync(StreamKey, Group, entryId).WaitAsync(cancellationToken);
        await database.StreamDeleteAsync(StreamKey, [entryId]).WaitAsync(cancellationToken);
    }

    private static List<QueuedNotification> Parse(StreamEntry[] entries)
    {
        var parsed = new List<QueuedNotification>(entries.Length);
        foreach (var entry in entries)
        {
            // An entry whose id field is missing or malformed is still returned (id 0), so it gets acknowledged.
            var value = entry.IsNull ? RedisValue.Null : entry[IdField];
            var id = value.HasValue && long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsedId)
                ? parsedId
                : 0;
            parsed.Add(new QueuedNotification(entry.Id, id));
        }

        return parsed;
    }
}

/// <summary>A stream entry: its own id (for XACK) and the notification it carries (0 when unreadable).</summary>
internal sealed record QueuedNotification(RedisValue EntryId, long NotificationId);
