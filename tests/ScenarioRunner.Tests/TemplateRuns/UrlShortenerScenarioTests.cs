using Microsoft.Extensions.DependencyInjection;
using Sdp.Templates.Tests.Infrastructure;
using Sdp.Templates.UrlShortener;

namespace Sdp.ScenarioRunner.Tests.TemplateRuns;

/// <summary>The url_shortener scenario passes against the real template and names the fault of a broken one.</summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class UrlShortenerScenarioTests(CandidateStores stores)
{
    [Fact]
    public async Task The_template_passes_every_check_and_its_load()
    {
        await using var app = await stores.StartAsync(UrlShortenerTemplate.Descriptor);

        var report = await ScenarioRuns.RunAsync("url_shortener", app.Url);

        ScenarioRuns.AssertPassed(report);
        Assert.Equal(["shortened_urls_resolve", "details_match", "unknown_codes_404", "invalid_urls_rejected"],
            report.Checks.Select(check => check.Name));
        Assert.Equal(80, report.Load!.Requests);
    }

    [Fact]
    public async Task A_shortener_that_drops_the_query_string_fails_resolution_and_its_load()
    {
        await using var app = await stores.StartAsync(UrlShortenerTemplate.Descriptor,
            configureServices: services => Replace(services, inner => new QueryDroppingShortener(inner)));

        var report = await ScenarioRuns.RunAsync("url_shortener", app.Url);

        ScenarioRuns.AssertFailed(report, "shortened_urls_resolve", "Location: expected 'https://example.com/", "?q=a%20b", "got 'https://example.com/");
        Assert.True(report.Load!.ErrorsByKind.GetValueOrDefault("wrong_response") > 0, ScenarioRuns.Describe(report));
    }

    [Fact]
    public async Task A_shortener_that_redirects_unknown_codes_fails_the_404_check()
    {
        await using var app = await stores.StartAsync(UrlShortenerTemplate.Descriptor,
            configureServices: services => Replace(services, inner => new CatchAllShortener(inner)));

        var report = await ScenarioRuns.RunAsync("url_shortener", app.Url);

        ScenarioRuns.AssertFailed(report, "unknown_codes_404", "expected HTTP 404, got 302");
        Assert.All(report.Checks.Where(check => check.Name != "unknown_codes_404"), check => Assert.True(check.Passed, check.Detail));
    }

    private static void Replace(IServiceCollection services, Func<IShortUrlService, IShortUrlService> broken)
    {
        services.AddSingleton<IShortUrlService>(provider => broken(provider.GetRequiredService<ShortUrlService>()));
    }

    /// <summary>Stores correctly, redirects to the URL without its query: a parsing bug.</summary>
    private sealed class QueryDroppingShortener(IShortUrlService inner) : IShortUrlService
    {
        public Task<string> CreateAsync(string url, CancellationToken cancellationToken) => inner.CreateAsync(url, cancellationToken);

        public async Task<string?> ResolveAsync(string code, CancellationToken cancellationToken) =>
            (await inner.ResolveAsync(code, cancellationToken))?.Split('?')[0];

        public Task<ShortUrlDetails?> FindDetailsAsync(string code, CancellationToken cancellationToken) =>
            inner.FindDetailsAsync(code, cancellationToken);
    }

    /// <summary>Sends every unknown code to a home page instead of answering 404.</summary>
    private sealed class CatchAllShortener(IShortUrlService inner) : IShortUrlService
    {
        public Task<string> CreateAsync(string url, CancellationToken cancellationToken) => inner.CreateAsync(url, cancellationToken);

        public async Task<string?> ResolveAsync(string code, CancellationToken cancellationToken) =>
            await inner.ResolveAsync(code, cancellationToken) ?? "https://example.com/";

        public Task<ShortUrlDetails?> FindDetailsAsync(string code, CancellationToken cancellationToken) =>
            inner.FindDetailsAsync(code, cancellationToken);
    }
}
