using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sdp.Templates.Tests.RateLimiter;

/// <summary>The rate limiter's API as the tests call it.</summary>
internal static class RateLimiterClient
{
    public static Task<HttpResponseMessage> CreateRuleAsync(this HttpClient http, string name, long limit, long windowSeconds) =>
        http.PostAsJsonAsync("/api/rules", new { name, limit, window_seconds = windowSeconds });

    public static Task<HttpResponseMessage> CheckAsync(this HttpClient http, string key, string? rule = null, long? cost = null)
    {
        var body = new JsonObject { ["key"] = key };
        if (rule is not null)
        {
            body["rule"] = rule;
        }

        if (cost is not null)
        {
            body["cost"] = cost;
        }

        return http.PostAsJsonAsync("/api/check", body);
    }

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;
}
