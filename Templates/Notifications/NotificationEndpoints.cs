using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Sdp.Templates.Hosting;
using StackExchange.Redis;

namespace Sdp.Templates.Notifications;

/// <summary><c>POST /api/notifications</c>, <c>GET /api/notifications/{id}</c>, <c>GET /api/users/{user_id}/notifications</c>.</summary>
internal static class NotificationEndpoints
{
    public const int DefaultListLimit = 100;
    public const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/notifications", CreateAsync);
        endpoints.MapGet("/api/notifications/{id}", GetAsync);
        endpoints.MapGet("/api/users/{userId}/notifications", ListAsync);
        endpoints.MapGet("/api/users/{userId}/notifications/stream", NotificationStreamEndpoint.StreamAsync);
        return endpoints;
    }

    private static async Task<Results<Accepted<NotificationResponse>, ValidationProblem>> CreateAsync(
        CreateNotificationRequest? request, NotificationStore store, NotificationQueue queue, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Notification.IsValidUserId(request?.UserId))
        {
            errors["user_id"] = "user_id is required: 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'.";
        }

        if (request?.Channel is not { } channel || !Notification.Channels.Contains(channel, StringComparer.Ordinal))
        {
            errors["channel"] = "channel is required: one of email, sms, push, in_app.";
        }

        if (string.IsNullOrEmpty(request?.Message) || request.Message.Length > Notification.MaxMessageLength)
        {
            errors["message"] = $"message is required: 1 to {Notification.MaxMessageLength:N0} characters.";
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var notification = await store.CreateAsync(request!.UserId!, request.Channel!, request.Message!, cancellationToken);
        try
        {
            await queue.EnqueueAsync(notification.Id, cancellationToken);
        }
        catch (RedisException exception)
        {
            // Saved, so accepted: the delivery loop re-queues notifications left without a stream entry.
            loggerFactory.CreateLogger(typeof(NotificationEndpoints).FullName!).LogWarning(exception,
                "Notification {NotificationId} saved but not queued; it will be re-queued", notification.Id);
        }

        return TypedResults.Accepted($"/api/notifications/{notification.Id}", notification.ToResponse());
    }

    private static async Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> GetAsync(
        string id, NotificationStore store, CancellationToken cancellationToken)
    {
        var notification = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? await store.FindAsync(parsed, cancellationToken)
            : null;
        return notification is null
            ? ApiProblems.NotFound("Notification not found", $"No notification has the id '{id}'.")
            : TypedResults.Ok(notification.ToResponse());
    }

    private static async Task<Results<Ok<NotificationList>, ValidationProblem>> ListAsync(
        string userId, string? limit, NotificationStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Notification.IsValidUserId(userId))
        {
            errors["user_id"] = "user_id must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'.";
        }

        var count = DefaultListLimit;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxListLimit))
        {
            errors["limit"] = $"limit must be a whole number from 1 to {MaxListLimit:N0}.";
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var notifications = await store.ListForUserAsync(userId, count, cancellationToken);
        return TypedResults.Ok(new NotificationList([.. notifications.Select(n => n.ToResponse())]));
    }
}
