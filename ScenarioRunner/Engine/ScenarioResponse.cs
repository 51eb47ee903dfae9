using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sdp.ScenarioRunner.Engine;

/// <summary>A complete answer from the deployment: status, headers (response and content) and body.</summary>
public sealed class ScenarioResponse(string request, HttpStatusCode status, IReadOnlyDictionary<string, string> headers, string body)
{
    /// <summary>What was asked, e.g. <c>POST /api/urls</c>: failure details start with it.</summary>
    public string Request { get; } = request;

    public int Status { get; } = (int)status;

    public string Body { get; } = body;

    /// <summary>A header's value (several values joined by ", "), or null.</summary>
    public string? Header(string name) => headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body as a JSON object, or a failed check saying what came instead.</summary>
    public JsonObject JsonObject()
    {
        try
        {
            return JsonNode.Parse(Body) as JsonObject
                ?? throw new CheckFailedException($"{Request}: expected a JSON object, got {Excerpt(Body)}");
        }
        catch (JsonException)
        {
            throw new CheckFailedException($"{Request}: expected a JSON object, got {Excerpt(Body)}");
        }
    }

    /// <summary>The start of a body, for failure details.</summary>
    public static string Excerpt(string body)
    {
        const int Limit = 300;
        if (body.Length == 0)
        {
            return "an empty body";
        }

        return body.Length <= Limit ? $"'{body}'" : $"'{body[..Limit]}…' ({body.Length} characters)";
    }
}
