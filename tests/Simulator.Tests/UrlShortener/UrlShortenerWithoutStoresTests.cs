using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sdp.Simulator.Tests.Infrastructure;
using Sdp.Templates.Catalog;
using Sdp.Templates.Hosting;
using Sdp.Templates.UrlShortener;

namespace Sdp.Simulator.Tests.UrlShortener;

/// <summary>
/// What the URL shortener answers without reaching PostgreSQL or Redis (both refuse connections here):
/// input validation, unknown codes, health. Its data path is covered by the end-to-end suite.
/// </summary>
public sealed class UrlShortenerWithoutStoresTests : IAsyncLifetime
{
    private readonly TemplateHost host = new(NullLoggerFactory.Instance);
    private RunningTemplate? app;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        app = await host.StartAsync(UrlShortenerTemplate.Descriptor, CandidateEnv.Unreachable(9), CancellationToken.None);
        http = new HttpClient { BaseAddress = app.Url };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("""{"url":"ftp://example.com/file"}""")]
    [InlineData("""{"url":"javascript:alert(1)"}""")]
    [InlineData("""{"url":"/relative/path"}""")]
    [InlineData("""{"url":"example.com"}""")]
    [InlineData("""{"url":""}""")]
    [InlineData("""{"url":null}""")]
    [InlineData("""{}""")]
    public async Task Invalid_urls_get_400_problem_details(string body)
    {
        using var response = await PostJsonAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.NotNull(problem["errors"]!["url"]);
    }

    [Fact]
    public async Task A_url_longer_than_2048_characters_is_refused()
    {
        var url = "https://example.com/" + new string('a', 2048 - 19);
        using var response = await PostJsonAsync(new JsonObject { ["url"] = url }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("2048", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Malformed_json_gets_400_problem_details()
    {
        using var response = await PostJsonAsync("{\"url\": ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/abc")]
    [InlineData("/not-a-code!")]
    [InlineData("/api/urls/abc")]
    public async Task Codes_that_cannot_exist_get_404_problem_details(string path)
    {
        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_is_503_when_the_stores_do_not_answer_and_alive_is_200()
    {
        using var health = await http.GetAsync("/health");
        using var alive = await http.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task A_missing_variable_fails_the_start_naming_it()
    {
        var environment = CandidateEnv.Unreachable(10);
        environment.Remove(CandidateEnvironment.Database);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            host.StartAsync(UrlShortenerTemplate.Descriptor, environment, CancellationToken.None));

        Assert.Contains(CandidateEnvironment.Database, exception.Message);
    }

    [Fact]
    public void A_container_listens_on_PORT_or_8080()
    {
        Assert.Equal(8080, TemplateAppContext.ForContainer(new Dictionary<string, string>()).ListenEndPoint.Port);
        Assert.Equal(9000, TemplateAppContext.ForContainer(new Dictionary<string, string> { ["PORT"] = "9000" }).ListenEndPoint.Port);
    }

    private Task<HttpResponseMessage> PostJsonAsync(string json) =>
        http.PostAsync("/api/urls", new StringContent(json, Encoding.UTF8, "application/json"));
}
