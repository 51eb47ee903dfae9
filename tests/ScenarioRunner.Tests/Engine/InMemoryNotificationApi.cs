using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Sdp.ScenarioRunner.Tests.Engine;

/// <summary>
/// The notification API's contract kept in memory, for testing the scenario's stream handling on its own: delivery
/// is immediate, and <see cref="DuplicateEvery"/> makes the stream send some events twice (a broken variant).
/// </summary>
public sealed class InMemoryNotificationApi
{
    private static readonly string[] Channels = ["email", "sms", "push", "in_app"];

    private readonly Lock gate = new();
    private readonly Dictionary<string, JsonObject> byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> byUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<JsonObject>, bool>> subscribers = new(StringComparer.Ordinal);
    private long sequence;

    /// <summary>When positive, every n-th event on a stream is written twice.</summary>
    public int DuplicateEvery { get; init; }

    public void Map(WebApplication app)
    {
        app.MapPost("/api/notifications", (JsonObject body) =>
        {
            var user = body["user_id"]?.GetValue<string>();
            var channel = body["channel"]?.GetValue<string>();
            var message = body["message"]?.GetValue<string>();
            if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(message) || !Channels.Contains(channel))
            {
                return Results.Problem(statusCode: 400, title: "Invalid notification");
            }

            JsonObject notification;
            lock (gate)
            {
                var now = DateTimeOffset.UtcNow.ToString("O");
                notification = new JsonObject
                {
                    ["id"] = Guid.NewGuid().ToString(),
                    ["user_id"] = user,
                    ["channel"] = channel,
                    ["message"] = message,
                    ["status"] = "delivered",
                    ["sequence"] = ++sequence,
                    ["created_at"] = now,
                    ["delivered_at"] = now,
                };
                byId[notification["id"]!.GetValue<string>()] = notification;
                if (!byUser.TryGetValue(user, out var list))
                {
                    byUser[user] = list = [];
                }

                list.Add(notification);
                foreach (var subscriber in subscribers.GetValueOrDefault(user)?.Keys ?? Enumerable.Empty<Channel<JsonObject>>())
                {
                    subscriber.Writer.TryWrite(notification);
                }
            }

            return Results.Json(notification, statusCode: 202);
        });
        app.MapGet("/api/notifications/{id}", (string id) =>
        {
            lock (gate)
            {
                return byId.TryGetValue(id, out var found) ? Results.Json(found) : Results.Problem(statusCode: 404);
            }
        });
        app.MapGet("/api/users/{user}/notifications", (string user) =>
        {
            lock (gate)
            {
                return Results.Json(new JsonObject { ["items"] = new JsonArray([.. (byUser.GetValueOrDefault(user) ?? []).Select(n => n.DeepClone())]) });
            }
        });
        app.MapGet("/api/users/{user}/notifications/stream", async (string user, HttpContext context) =>
        {
            var events = Channel.CreateUnbounded<JsonObject>();
            subscribers.GetOrAdd(user, _ => new())[events] = true;
            try
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync(": connected\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                var written = 0;
                await foreach (var notification in events.Reader.ReadAllAsync(context.RequestAborted))
                {
                    var frame = $"id: {notification["id"]}\nevent: notification\ndata: {notification.ToJsonString()}\n\n";
                    await context.Response.WriteAsync(frame, context.RequestAborted);
                    if (DuplicateEvery > 0 && ++written % DuplicateEvery == 0)
                    {
                        await context.Response.WriteAsync(frame, context.RequestAborted);
                    }

                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }
            finally
            {
                subscribers[user].TryRemove(events, out _);
            }
        });
    }
}
