using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Tenancy;

/// <summary>Each key has its own request rate; past it the API answers 429 with Retry-After, other keys unaffected.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ApiRateLimitTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after_and_other_keys_go_on()
    {
        // Three per minute: a burst of three, then one more every 20 s.
        var (_, limited) = await platform.NewTenantAsync("rate-limited", requestsPerMinute: 3);
        var (_, other) = await platform.NewTenantAsync("rate-other", requestsPerMinute: 3);
        using var _limited = limited;
        using var _other = other;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await limited.GetAsync("/api/deployments")).StatusCode);
        }

        using var refused = await limited.GetAsync("/api/deployments");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("requests_per_minute", problem.GetProperty("limit").GetString());

        // Mutating requests are limited too, and a refused one creates nothing.
        using var deploy = await limited.PostAsJsonAsync("/api/deployments",
            new { problem_type = "url_shortener", design_text = "x" }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.TooManyRequests, deploy.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/deployments")).StatusCode);
    }

    [Fact]
    public async Task A_key_with_a_high_rate_may_send_a_second_of_it_at_once()
    {
        // 2,000 a second: however fast the API answers, a burst capped at RateLimit:Burst (100) and refilled on the
        // limiter's timer would refuse a good part of 1,000 requests sent together.
        const int atOnce = 1_000;
        var (_, fast) = await platform.NewTenantAsync("rate-high", requestsPerMinute: 120_000);
        using var _fast = fast;

        var answers = await Task.WhenAll(Enumerable.Range(0, atOnce).Select(async i =>
        {
            using var response = await fast.GetAsync($"/api/deployments/{long.MaxValue - i}");
            return response.StatusCode;
        }));

        Assert.Equal(atOnce, answers.Count(status => status == HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Probes_are_not_rate_limited()
    {
        using var http = new HttpClient { BaseAddress = platform.ApiUrl };
        for (var i = 0; i < 150; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
        }
    }
}
