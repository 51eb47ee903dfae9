using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Sdp.Templates.Hosting;
using StackExchange.Redis;

namespace Sdp.Templates.Notifications;

/// <summary>
/// <c>GET /api/users/{user_id}/notifications/stream</c>: server-sent events, one per notification delivered to
/// the user after the client connected (<c>id: {id}</c>, <c>event: notification</c>, <c>data: {json}</c>), a
/// <c>: connected</c> comment once the subscription is live, and a <c>: heartbeat</c> comment every heartbeat
/// interval. Events arrive in sequence order; one whose sequence was already sent is skipped, so a notification
/// published twice after a crash reaches the client once. It ends when the client goes or the app stops.
/// </summary>
internal static class NotificationStreamEndpoint
{
    private static readonly byte[] Connected = Encoding.UTF8.GetBytes(": connected\n\n");
    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");

    public static async Task StreamAsync(string userId, HttpContext context, NotificationPublisher publisher,
        NotificationsOptions options, IHostApplicationLifetime lifetime, TimeProvider timeProvider)
    {
        if (!Notification.IsValidUserId(userId))
        {
            await ApiProblems.Invalid("user_id", "user_id must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'.")
                .ExecuteAsync(context);
            return;
        }

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = ended.Token;
        var subscription = await publisher.SubscribeAsync(userId, cancellationToken);
        try
        {
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            // Proxies must pass events on as they come.
            response.Headers["X-Accel-Buffering"] = "no";
            await response.Body.WriteAsync(Connected, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            await PumpAsync(subscription, response, options.Heartbeat, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away or the app is stopping.
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    private static async Task PumpAsync(ChannelMessageQueue subscription, HttpResponse response, TimeSpan heartbeat,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var heartbeats = new PeriodicTimer(heartbeat, timeProvider);
        Task<bool>? tick = null;
        Task<ChannelMessage>? message = null;
        long lastSequence = 0;
        while (true)
        {
            tick ??= heartbeats.WaitForNextTickAsync(cancellationToken).AsTask();
            message ??= subscription.ReadAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(tick, message) == tick)
            {
                if (!await tick)
                {
                    return;
                }

                tick = null;
                await response.Body.WriteAsync(Heartbeat, cancellationToken);
            }
            else
            {
                var json = (string)(await message).Message!;
                message = null;
                var notification = JsonSerializer.Deserialize(json, NotificationsJsonContext.Default.NotificationResponse);
                if (notification is null || notification.Sequence <= lastSequence)
                {
                    continue;
                }

                lastSequence = notification.Sequence;
                var text = string.Create(CultureInfo.InvariantCulture, $"id: {notification.Id}\nevent: notification\ndata: {json}\n\n");
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            }

            await response.Body.FlushAsync(cancellationToken);
        }
    }
}
