using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Deployments;

/// <summary>Every kind of bad request gets problem details with the right status and creates nothing.</summary>
[Collection(PlatformCollection.Name)]
public sealed class BadInputTests(PlatformFixture platform)
{
    private readonly ResourceProbe probe = new(platform);

    public static TheoryData<string, string, string, HttpStatusCode> BadBodies => new()
    {
        // This platform has a model configured, so any other problem type is generated; without one it is a 422
        // (CustomDeploymentsTests in the Orchestrator's unit tests).
        { "custom without a spec", "application/json", """{"problem_type":"custom","design_text":"x"}""", HttpStatusCode.BadRequest },
        { "custom with a spec of no resources", "application/json", """{"problem_type":"custom","design_text":"x","service_spec":{"resources":[]}}""", HttpStatusCode.BadRequest },
        { "a spec with a template", "application/json", """{"problem_type":"url_shortener","design_text":"x","service_spec":{"resources":[{"name":"a","fields":[{"name":"b","type":"string"}]}]}}""", HttpStatusCode.BadRequest },
        { "missing problem type", "application/json", """{"design_text":"x"}""", HttpStatusCode.BadRequest },
        { "missing design text", "application/json", """{"problem_type":"url_shortener"}""", HttpStatusCode.BadRequest },
        { "blank design text", "application/json", """{"problem_type":"url_shortener","design_text":"   "}""", HttpStatusCode.BadRequest },
        { "design text over 64 KiB", "application/json", $$"""{"problem_type":"url_shortener","design_text":"{{new string('a', 64 * 1024 + 1)}}"}""", HttpStatusCode.BadRequest },
        { "malformed JSON", "application/json", """{"problem_type":"url_shortener",""", HttpStatusCode.BadRequest },
        { "JSON that is not an object", "application/json", "null", HttpStatusCode.BadRequest },
        { "wrong field type", "application/json", """{"problem_type":7,"design_text":"x"}""", HttpStatusCode.BadRequest },
        { "unknown field", "application/json", """{"problem_type":"url_shortener","design_text":"x","colour":"red"}""", HttpStatusCode.BadRequest },
        { "wrong content type", "text/plain", """{"problem_type":"url_shortener","design_text":"x"}""", HttpStatusCode.UnsupportedMediaType },
        { "body over 1 MiB", "application/json", $$"""{"problem_type":"url_shortener","design_text":"{{new string('a', 1024 * 1024)}}"}""", HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_deployment_request_gets_problem_details_and_creates_nothing(string because, string contentType,
        string body, HttpStatusCode expected)
    {
        var deploymentsBefore = await probe.CountAsync("SELECT count(*) FROM platform.deployments");
        var outboxBefore = await probe.CountAsync("SELECT count(*) FROM platform.outbox");
        var schemasBefore = await probe.CountAsync("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'candidate\\_%'");

        // Expect: 100-continue, as clients sending large bodies should: the API refuses an oversized body from its
        // Content-Length alone, and without it the client could still be writing when the connection closes.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/deployments")
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        request.Headers.ExpectContinue = true;
        using var response = await platform.Api.SendAsync(request);

        Assert.True(expected == response.StatusCode, $"{because}: expected {expected}, got {response.StatusCode}");
        await AssertProblemAsync(response, (int)expected);

        Assert.Equal(deploymentsBefore, await probe.CountAsync("SELECT count(*) FROM platform.deployments"));
        Assert.Equal(outboxBefore, await probe.CountAsync("SELECT count(*) FROM platform.outbox"));
        Assert.Equal(schemasBefore, await probe.CountAsync("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'candidate\\_%'"));
    }

    [Fact]
    public async Task Validation_problems_name_the_fields_in_the_request()
    {
        using var response = await platform.Api.PostAsJsonAsync("/api/deployments", new { submission_id = new string('s', 201) });
        var problem = await AssertProblemAsync(response, 400);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("problem_type", out _));
        Assert.True(errors.TryGetProperty("design_text", out _));
        Assert.True(errors.TryGetProperty("submission_id", out _));
    }

    [Theory]
    [InlineData("GET", "/api/deployments/999999999")]
    [InlineData("DELETE", "/api/deployments/999999999")]
    [InlineData("GET", "/api/deployments/not-a-number")]
    [InlineData("DELETE", "/api/deployments/not-a-number")]
    public async Task An_unknown_deployment_is_a_404_problem(string method, string path)
    {
        var deploymentsBefore = await probe.CountAsync("SELECT count(*) FROM platform.deployments");
        using var response = await platform.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await AssertProblemAsync(response, 404);
        Assert.Equal(deploymentsBefore, await probe.CountAsync("SELECT count(*) FROM platform.deployments"));
    }

    [Theory]
    [InlineData("state=sleeping", "state")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=garbage!", "cursor")]
    public async Task A_bad_list_query_is_a_400_problem_naming_the_parameter(string query, string parameter)
    {
        using var response = await platform.Api.GetAsync($"/api/deployments?{query}");
        var problem = await AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Theory]
    [InlineData("wait_for=sleeping", "wait_for")]
    [InlineData("wait_for=ready&timeout_seconds=0", "timeout_seconds")]
    [InlineData("wait_for=ready&timeout_seconds=61", "timeout_seconds")]
    [InlineData("wait_for=ready&timeout_seconds=soon", "timeout_seconds")]
    public async Task A_bad_wait_is_a_400_problem_naming_the_parameter(string query, string parameter)
    {
        using var response = await platform.Api.GetAsync($"/api/deployments/1?{query}");
        var problem = await AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }
}
