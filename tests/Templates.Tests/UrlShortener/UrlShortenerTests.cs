using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sdp.Templates.Tests.Infrastructure;
using Sdp.Templates.UrlShortener;

namespace Sdp.Templates.Tests.UrlShortener;

/// <summary>The URL shortener against real, provisioned stores: the fixture's own smoke test.</summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class UrlShortenerTests(CandidateStores stores)
{
    [Fact]
    public async Task A_created_code_redirects_to_its_url_and_counts_the_click()
    {
        await using var app = await stores.StartAsync(UrlShortenerTemplate.Descriptor);

        var code = await CreateAsync(app, "https://example.com/a");
        using var redirect = await app.Http.GetAsync($"/{code}");
        var details = await app.Http.GetFromJsonAsync<JsonObject>($"/api/urls/{code}");

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("https://example.com/a", redirect.Headers.Location?.ToString());
        Assert.Equal(1, details!["clicks"]!.GetValue<long>());
    }

    [Fact]
    public async Task It_touches_only_keys_under_its_prefix()
    {
        await using var app = await stores.StartAsync(UrlShortenerTemplate.Descriptor);

        var code = await CreateAsync(app, "https://example.com/b");
        (await app.Http.GetAsync($"/{code}")).Dispose();
        (await app.Http.GetAsync($"/{code}")).Dispose();

        var keys = await stores.AllRedisKeysAsync();
        Assert.Contains(app.Candidate.RedisPrefix + "url:" + code, keys);
        Assert.Empty(await stores.DeniedRedisCommandsAsync(app.Candidate));
    }

    internal static async Task<string> CreateAsync(TemplateUnderTest app, string url)
    {
        using var response = await app.Http.PostAsJsonAsync("/api/urls", new { url });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return body["code"]!.GetValue<string>();
    }
}
