using System.Text.RegularExpressions;

namespace Sdp.Templates.Notifications;

/// <summary>One notification; <see cref="Sequence"/> numbers a user's notifications 1, 2, 3… in creation order.</summary>
internal sealed partial record Notification(
    long Id,
    string UserId,
    string Channel,
    string Message,
    string Status,
    long Sequence,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt)
{
    public const string Queued = "queued";
    public const string Delivered = "delivered";
    public const int MaxMessageLength = 4000;

    public static readonly IReadOnlyList<string> Channels = ["email", "sms", "push", "in_app"];

    public static bool IsValidUserId(string? userId) => userId is not null && UserIdPattern().IsMatch(userId);

    public NotificationResponse ToResponse() => new(Id, UserId, Channel, Message, Status, Sequence, CreatedAt, DeliveredAt);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserIdPattern();
}
