using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sdp.Templates.DistributedCache;
using Sdp.Templates.Notifications;
using Sdp.Templates.RateLimiter;
using Sdp.Templates.Tests.Infrastructure;
using Sdp.Templates.Tests.Notifications;
using Sdp.Templates.Tests.RateLimiter;
using Sdp.Templates.UrlShortener;

namespace Sdp.Templates.Tests.Broken;

/// <summary>Each broken variant really fails the behaviour its template's tests check (so it can prove a check can fail).</summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class BrokenTemplatesTests(CandidateStores stores)
{
    [Fact]
    public async Task The_broken_rate_limiter_lets_one_check_too_many_through()
    {
        await using var app = await stores.StartAsync(RateLimiterTemplate.Descriptor,
            configureServices: BrokenTemplates.RateLimiterAllowingOneTooMany());
        (await app.Http.CreateRuleAsync("burst", 10, 60)).Dispose();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await app.Http.CheckAsync("same-key", "burst");
            return response.StatusCode;
        }));

        Assert.Equal(11, statuses.Count(status => status == HttpStatusCode.OK));
    }

    [Fact]
    public async Task The_broken_cache_serves_an_expired_entry()
    {
        await using var app = await stores.StartAsync(DistributedCacheTemplate.Descriptor,
            configureServices: BrokenTemplates.CacheIgnoringExpiry());
        (await app.Http.PutAsJsonAsync("/api/cache/short", new { value = "v", ttl_seconds = 1 })).Dispose();

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var expired = await app.Http.GetAsync("/api/cache/short");

        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
    }

    [Fact]
    public async Task The_broken_notification_system_delivers_a_users_notifications_out_of_order()
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor,
            configureServices: BrokenTemplates.NotificationsDeliveringOutOfOrder());
        await using var stream = await EventStreamClient.OpenAsync(app.Http, "/api/users/zed/notifications/stream", TimeSpan.FromSeconds(10));

        var first = await app.Http.CreateNotificationAsync("zed", "first");
        var second = await app.Http.CreateNotificationAsync("zed", "second");
        var firstEvent = await stream.NextEventAsync(TimeSpan.FromSeconds(10));
        await app.Http.WaitUntilDeliveredAsync(first.Id());

        Assert.Equal(second.Id().ToString(), firstEvent!.Id);
        var listed = await app.Http.ListAsync("zed");
        Assert.True(listed[0]["delivered_at"]!.GetValue<DateTimeOffset>() > listed[1]["delivered_at"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task The_broken_url_shortener_answers_404_for_a_fresh_code()
    {
        await using var app = await stores.StartAsync(UrlShortenerTemplate.Descriptor,
            configureServices: BrokenTemplates.UrlShortenerForgettingFreshCodes());
        using var created = await app.Http.PostAsJsonAsync("/api/urls", new { url = "https://example.com/x" });
        var code = (await created.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>();

        using var redirect = await app.Http.GetAsync($"/{code}");

        Assert.Equal(HttpStatusCode.NotFound, redirect.StatusCode);
    }
}
