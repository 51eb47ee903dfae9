using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sdp.Templates.Tests.Infrastructure;

/// <summary>Checks that a response is RFC 7807 problem details with the expected status (and field errors).</summary>
public static class ProblemAssert
{
    public static async Task<JsonObject> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, params string[] fields)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        foreach (var field in fields)
        {
            Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        }

        return problem;
    }
}
