using System.Text.Json.Serialization;

namespace Sdp.Templates.Notifications;

/// <summary><c>POST /api/notifications</c> body.</summary>
public sealed record CreateNotificationRequest(string? UserId, string? Channel, string? Message);

/// <summary>A notification as the API returns it and as it is published to the user's channel.</summary>
public sealed record NotificationResponse(
    long Id,
    string UserId,
    string Channel,
    string Message,
    string Status,
    long Sequence,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt);

public sealed record NotificationList(IReadOnlyList<NotificationResponse> Items);

/// <summary>Serialization metadata generated at build time: no reflection on each candidate's first request.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CreateNotificationRequest))]
[JsonSerializable(typeof(NotificationResponse))]
[JsonSerializable(typeof(NotificationList))]
internal sealed partial class NotificationsJsonContext : JsonSerializerContext;
