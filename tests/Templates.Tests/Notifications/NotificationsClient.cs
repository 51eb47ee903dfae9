using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sdp.Templates.Tests.Notifications;

/// <summary>The notification system's API as the tests call it.</summary>
internal static class NotificationsClient
{
    public static async Task<JsonObject> CreateNotificationAsync(this HttpClient http, string userId, string message, string channel = "email")
    {
        using var response = await http.PostAsJsonAsync("/api/notifications", new { user_id = userId, channel, message });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Polls the notification until it is delivered (every 50 ms, at most 10 s).</summary>
    public static async Task<JsonObject> WaitUntilDeliveredAsync(this HttpClient http, long id)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var notification = (await http.GetFromJsonAsync<JsonObject>($"/api/notifications/{id}"))!;
            if (notification["status"]!.GetValue<string>() == "delivered")
            {
                return notification;
            }

            if (TimeProvider.System.GetElapsedTime(deadline) > TimeSpan.FromSeconds(10))
            {
                throw new Xunit.Sdk.XunitException($"Notification {id} was not delivered within 10 s: {notification.ToJsonString()}");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<List<JsonObject>> ListAsync(this HttpClient http, string userId, int? limit = null)
    {
        var list = await http.GetFromJsonAsync<JsonObject>(
            $"/api/users/{userId}/notifications" + (limit is null ? "" : $"?limit={limit}"));
        return [.. list!["items"]!.AsArray().Select(item => item!.AsObject())];
    }

    public static long Id(this JsonObject notification) => notification["id"]!.GetValue<long>();

    public static long Sequence(this JsonObject notification) => notification["sequence"]!.GetValue<long>();
}
