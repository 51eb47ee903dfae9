using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Testing;

/// <summary>
/// A local OpenAI-compatible model, as the Simulator stands in for Cloud Run: <c>POST /v1/chat/completions</c> in the
/// chat completions shape, with <c>usage</c>. It writes no spec of its own making: it answers by script, chosen per
/// request by a marker in the design text (<see cref="Behaviour"/>), so a test picks a valid spec, invalid JSON,
/// hostile names, an oversize spec, one that is repaired on the second round, a slow answer, 429 or 500. Without a
/// marker it answers a valid spec of the design (a chat system, a news feed, or a plain list of items). Runs in
/// process, on a free loopback port; checks the bearer key it was started with.
/// </summary>
public sealed class StandInModel : IAsyncDisposable
{
    public const string ModelName = "stand-in-spec-model";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<string> designs = new();

    private StandInModel(WebApplication app, string apiKey)
    {
        this.app = app;
        ApiKey = apiKey;
    }

    /// <summary>The base URL to configure as <c>Generation:Endpoint</c> (ends in <c>/v1</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The key it accepts; any other bearer gets 401.</summary>
    public string ApiKey { get; }

    /// <summary>The user messages of every chat completion asked for, in order (a repair round counts again).</summary>
    public IReadOnlyCollection<string> Requests => designs;

    /// <summary>Requests whose conversation contains <paramref name="text"/> (e.g. a test's unique design).</summary>
    public int RequestsMentioning(string text) => designs.Count(d => d.Contains(text, StringComparison.Ordinal));

    /// <summary>Markers a design text can carry to script the answer to it.</summary>
    public static class Behaviour
    {
        public const string InvalidJson = "[stand-in:invalid-json]";
        public const string HostileNames = "[stand-in:hostile-names]";
        public const string Oversize = "[stand-in:oversize]";
        public const string RepairedOnSecondRound = "[stand-in:repair]";
        public const string InvalidAfterRepair = "[stand-in:invalid]";
        public const string Slow = "[stand-in:slow]";
        public const string RateLimited = "[stand-in:429]";
        public const string ServerError = "[stand-in:500]";
    }

    /// <summary>How long <see cref="Behaviour.Slow"/> waits before it answers.</summary>
    public TimeSpan SlowAnswer { get; set; } = TimeSpan.FromSeconds(30);

    public static async Task<StandInModel> StartAsync(string apiKey = "stand-in-key-not-a-secret",
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var model = new StandInModel(app, apiKey);
        app.MapPost("/v1/chat/completions", (Func<HttpContext, Task<IResult>>)model.AnswerAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Urls.Single();
        model.Endpoint = new Uri(address.TrimEnd('/') + "/v1");
        return model;
    }

    /// <summary>The Orchestrator's settings that point it at this model.</summary>
    public IReadOnlyDictionary<string, string> GenerationSettings(TimeSpan timeout) => new Dictionary<string, string>
    {
        ["Generation__Endpoint"] = Endpoint.ToString(),
        ["Generation__Model"] = ModelName,
        ["Generation__ApiKey"] = ApiKey,
        ["Generation__Timeout"] = timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task<IResult> AnswerAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {ApiKey}")
        {
            return Error(HttpStatusCode.Unauthorized, "invalid_api_key", "Incorrect API key provided.");
        }

        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var messages = request?["messages"]?.AsArray() ?? [];
        var conversation = string.Join("\n", messages.Select(m => m?["content"]?.ToString() ?? ""));
        var design = messages.Where(m => m?["role"]?.ToString() == "user").Select(m => m!["content"]!.ToString()).FirstOrDefault() ?? "";
        var repairRound = messages.Any(m => m?["role"]?.ToString() == "assistant");
        designs.Enqueue(conversation);

        string answer;
        if (design.Contains(Behaviour.RateLimited, StringComparison.Ordinal))
        {
            return Error(HttpStatusCode.TooManyRequests, "rate_limit_exceeded", "Rate limit reached for requests.");
        }

        if (design.Contains(Behaviour.ServerError, StringComparison.Ordinal))
        {
            return Error(HttpStatusCode.InternalServerError, "server_error", "The server had an error.");
        }

        if (design.Contains(Behaviour.Slow, StringComparison.Ordinal))
        {
            await Task.Delay(SlowAnswer, context.RequestAborted);
            answer = ValidSpec(design);
        }
        else if (design.Contains(Behaviour.InvalidJson, StringComparison.Ordinal))
        {
            answer = """{"resources": [{"name": "messages", "fields": [""";
        }
        else if (design.Contains(Behaviour.HostileNames, StringComparison.Ordinal))
        {
            answer = HostileSpec;
        }
        else if (design.Contains(Behaviour.Oversize, StringComparison.Ordinal))
        {
            answer = OversizeSpec();
        }
        else if (design.Contains(Behaviour.InvalidAfterRepair, StringComparison.Ordinal)
                 || (design.Contains(Behaviour.RepairedOnSecondRound, StringComparison.Ordinal) && !repairRound))
        {
            // Upper case, a space and an unknown type: three violations the validator names.
            answer = """{"resources": [{"name": "Chat Messages", "fields": [{"name": "body", "type": "varchar"}]}]}""";
        }
        else
        {
            answer = ValidSpec(design);
        }

        var promptTokens = Tokens(conversation);
        var completionTokens = Tokens(answer);
        return Results.Json(new
        {
            id = $"chatcmpl-standin-{designs.Count}",
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = request?["model"]?.ToString() ?? ModelName,
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" },
            },
            usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
        });
    }

    /// <summary>About four characters a token, as OpenAI's tokenizers average on English.</summary>
    private static int Tokens(string text) => Math.Max(1, text.Length / 4);

    private static IResult Error(HttpStatusCode status, string code, string message) =>
        Results.Json(new { error = new { message, type = code, code } }, statusCode: (int)status);

    /// <summary>A valid spec of the design's main entities: a chat system, a news feed, or a list of items.</summary>
    public static string ValidSpec(string design)
    {
        var text = design.ToLowerInvariant();
        ServiceSpec spec;
        if (text.Contains("chat", StringComparison.Ordinal))
        {
            spec = new ServiceSpec(
            [
                new ResourceSpec("users", [new FieldSpec("handle", "string", Required: true, Indexed: true, MaxLength: 40)],
                    new CacheSpec(60)),
                new ResourceSpec("rooms", [new FieldSpec("title", "string", Required: true, MaxLength: 100)]),
                new ResourceSpec("messages",
                [
                    new FieldSpec("room_id", "integer", Required: true, Indexed: true),
                    new FieldSpec("author", "string", Required: true, MaxLength: 40),
                    new FieldSpec("body", "text", Required: true, MaxLength: 4000),
                    new FieldSpec("sent_at", "timestamp"),
                ], RateLimit: new RateLimitSpec(50, 100)),
            ]);
        }
        else if (text.Contains("feed", StringComparison.Ordinal))
        {
            spec = new ServiceSpec(
            [
                new ResourceSpec("posts",
                [
                    new FieldSpec("author", "string", Required: true, Indexed: true, MaxLength: 40),
                    new FieldSpec("body", "text", Required: true),
                ], new CacheSpec(30)),
                new ResourceSpec("follows",
                [
                    new FieldSpec("follower", "string", Required: true, Indexed: true, MaxLength: 40),
                    new FieldSpec("followee", "string", Required: true, Indexed: true, MaxLength: 40),
                ]),
            ]);
        }
        else
        {
            spec = new ServiceSpec([new ResourceSpec("items", [new FieldSpec("name", "string", Required: true, Indexed: true)])]);
        }

        return ServiceSpecJson.Serialize(spec);
    }

    /// <summary>Names and types that would be a path, SQL or a column definition if anything trusted them.</summary>
    public const string HostileSpec = """
        {"resources": [
          {"name": "../../etc/passwd", "fields": [{"name": "x", "type": "string"}]},
          {"name": "users; DROP TABLE platform.deployments; --", "fields": [
            {"name": "name\" text); DROP SCHEMA platform CASCADE; --", "type": "string"},
            {"name": "age", "type": "integer); DROP TABLE users; --"}]}
        ]}
        """;

    /// <summary>Past every limit: more resources than allowed, and more bytes than a spec may have.</summary>
    private static string OversizeSpec()
    {
        var resources = new JsonArray();
        for (var i = 0; i < 400; i++)
        {
            var fields = new JsonArray();
            for (var f = 0; f < 40; f++)
            {
                fields.Add(new JsonObject { ["name"] = $"field_{f}", ["type"] = "text", ["max_length"] = 65536 });
            }

            resources.Add(new JsonObject { ["name"] = $"resource_{i}", ["fields"] = fields });
        }

        return new JsonObject { ["resources"] = resources }.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
