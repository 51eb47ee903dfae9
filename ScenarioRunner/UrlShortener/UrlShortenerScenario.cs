using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.UrlShortener;

/// <summary>
/// <c>url_shortener</c>: <c>POST /api/urls</c> → 201 <c>{code, short_url, url}</c>; <c>GET /{code}</c> → 302 to the
/// URL; <c>GET /api/urls/{code}</c> → details; 404 for unknown codes, 400 for invalid URLs. Load: one create for every
/// four resolves. Redirects are never followed: the Location header is compared instead.
/// </summary>
public sealed class UrlShortenerScenario : IScenario
{
    public string ProblemType => "url_shortener";

    public IScenarioRun Start(ScenarioHttp http, TimeProvider time) => new Run(http);

    private sealed class Run : IScenarioRun
    {
        private const int DistinctUrls = 5;
        private const int LoadCodes = 50;
        private const int ResolvesPerCreate = 4;

        private readonly ScenarioHttp http;
        private readonly string token = RunToken.New();
        private readonly List<(string Code, string Url)> created = [];
        private readonly ConcurrentDictionary<long, (string Code, string Url)> loadCodes = new();

        public Run(ScenarioHttp http)
        {
            this.http = http;
            Checks =
            [
                new("shortened_urls_resolve", ShortenedUrlsResolveAsync),
                new("details_match", DetailsMatchAsync),
                new("unknown_codes_404", UnknownCodesAreNotFoundAsync),
                new("invalid_urls_rejected", InvalidUrlsAreRejectedAsync),
            ];
        }

        public IReadOnlyList<ScenarioCheck> Checks { get; }

        private string TargetUrl(string kind, long index) => $"https://example.com/sdp-scenario/{token}/{kind}/{index}?q=a%20b&n={index}";

        private async Task ShortenedUrlsResolveAsync(CancellationToken cancellationToken)
        {
            for (var i = 0; i < DistinctUrls; i++)
            {
                created.Add(await CreateAsync(TargetUrl("check", i), cancellationToken));
            }

            var codes = created.Select(entry => entry.Code).ToHashSet(StringComparer.Ordinal);
            Expect.Equal(DistinctUrls, codes.Count, $"distinct codes for {DistinctUrls} distinct URLs");
            foreach (var (code, url) in created)
            {
                var response = Expect.Status(await http.GetAsync($"/{Uri.EscapeDataString(code)}", cancellationToken), 302);
                Expect.Equal(url, Expect.Header(response, "Location"), $"{response.Request} Location");
            }
        }

        private async Task DetailsMatchAsync(CancellationToken cancellationToken)
        {
            Expect.True(created.Count > 0, "no short URL was created by the earlier check, so none can be looked up");
            foreach (var (code, url) in created)
            {
                var response = Expect.Status(await http.GetAsync($"/api/urls/{Uri.EscapeDataString(code)}", cancellationToken), 200);
                var body = response.JsonObject();
                Expect.Equal(code, Expect.String(body, "code", response.Request), $"{response.Request} code");
                Expect.Equal(url, Expect.String(body, "url", response.Request), $"{response.Request} url");
                var clicks = Expect.Integer(body, "clicks", response.Request);
                Expect.True(clicks >= 0, $"{response.Request}: expected clicks ≥ 0, got {clicks}");
                Expect.Timestamp(body, "created_at", response.Request);
            }
        }

        private async Task UnknownCodesAreNotFoundAsync(CancellationToken cancellationToken)
        {
            // Well-formed (base62, long enough) so the lookup reaches the store instead of being refused by shape.
            var unknown = "Zz" + token;
            Expect.Status(await http.GetAsync($"/{unknown}", cancellationToken), 404);
            Expect.Status(await http.GetAsync($"/api/urls/{unknown}", cancellationToken), 404);
        }

        private async Task InvalidUrlsAreRejectedAsync(CancellationToken cancellationToken)
        {
            string[] invalid = ["not a url", "ftp://example.com/file", "javascript:alert(1)", "/relative/path", ""];
            foreach (var url in invalid)
            {
                var response = await http.PostAsync("/api/urls", new JsonObject { ["url"] = url }, cancellationToken);
                if (response.Status != 400)
                {
                    throw new CheckFailedException(
                        $"{response.Request} with url '{url}': expected HTTP 400, got {response.Status} with {ScenarioResponse.Excerpt(response.Body)}");
                }
            }

            Expect.Status(await http.PostRawAsync("/api/urls", "{\"url\": ", cancellationToken), 400);
        }

        private async Task<(string Code, string Url)> CreateAsync(string url, CancellationToken cancellationToken)
        {
            var response = Expect.Status(await http.PostAsync("/api/urls", new JsonObject { ["url"] = url }, cancellationToken), 201);
            var body = response.JsonObject();
            var code = Expect.String(body, "code", response.Request);
            Expect.True(code.Length > 0, $"{response.Request}: expected a non-empty code");
            Expect.Equal(url, Expect.String(body, "url", response.Request), $"{response.Request} url");
            var shortUrl = Expect.String(body, "short_url", response.Request);
            Expect.True(shortUrl.EndsWith("/" + code, StringComparison.Ordinal),
                $"{response.Request}: expected short_url to end with /{code}, got '{shortUrl}'");
            return (code, url);
        }

        public async Task PrepareLoadAsync(CancellationToken cancellationToken)
        {
            for (var i = 0; i < LoadCodes; i++)
            {
                loadCodes[i] = await CreateAsync(TargetUrl("load", i), cancellationToken);
            }
        }

        public async Task<LoadOutcome> SendLoadRequestAsync(long index, CancellationToken cancellationToken)
        {
            if (index % (ResolvesPerCreate + 1) == 0)
            {
                var url = TargetUrl("load", LoadCodes + index);
                var response = await http.PostAsync("/api/urls", new JsonObject { ["url"] = url }, cancellationToken);
                if (response.Status != 201)
                {
                    return LoadOutcome.UnexpectedStatus(response.Status);
                }

                var body = response.JsonObject();
                return Expect.String(body, "url", response.Request) == url && Expect.String(body, "code", response.Request).Length > 0
                    ? LoadOutcome.Ok
                    : LoadOutcome.WrongResponse;
            }

            var (code, expected) = loadCodes[index % LoadCodes];
            var resolved = await http.GetAsync($"/{Uri.EscapeDataString(code)}", cancellationToken);
            if (resolved.Status != 302)
            {
                return LoadOutcome.UnexpectedStatus(resolved.Status);
            }

            return resolved.Header("Location") == expected ? LoadOutcome.Ok : LoadOutcome.WrongResponse;
        }
    }
}
