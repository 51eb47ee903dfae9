using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Sdp.Provisioning.Tests.Infrastructure;

/// <summary>
/// A fake of Cloud Run and Secret Manager at the HTTP level: records every request and answers as Google does for
/// the calls the deployment target makes (operations come back done). Secret creates answer 409 for ids listed in
/// <see cref="ExistingSecrets"/>, deletes answer 404 for ids not created.
/// </summary>
public sealed class RecordingGoogleApis : HttpMessageHandler
{
    private readonly Lock gate = new();
    private readonly List<RecordedRequest> requests = [];
    private readonly HashSet<string> secrets = new(StringComparer.Ordinal);

    public HashSet<string> ExistingSecrets { get; } = new(StringComparer.Ordinal);

    /// <summary>How many of the next Secret Manager requests answer 503 UNAVAILABLE.</summary>
    public int SecretManagerUnavailable { get; set; }

    /// <summary>Answer every Secret Manager request with 403 PERMISSION_DENIED.</summary>
    public bool SecretManagerDenied { get; set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>The body of the Cloud Run create request.</summary>
    public JsonObject CreatedService => JsonNode.Parse(Requests.Single(r =>
        r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/services", StringComparison.Ordinal)).Body!)!.AsObject();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, body);
        lock (gate)
        {
            requests.Add(recorded);
            return recorded.Uri.AbsolutePath.StartsWith("/v1/", StringComparison.Ordinal) ? SecretManager(recorded) : CloudRun(recorded);
        }
    }

    private HttpResponseMessage SecretManager(RecordedRequest request)
    {
        if (SecretManagerDenied)
        {
            return Json(HttpStatusCode.Forbidden, """{"error":{"code":403,"message":"Permission denied","status":"PERMISSION_DENIED"}}""");
        }

        if (SecretManagerUnavailable > 0)
        {
            SecretManagerUnavailable--;
            return Json(HttpStatusCode.ServiceUnavailable, """{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}""");
        }

        var path = request.Uri.AbsolutePath;
        if (request.Method == HttpMethod.Post && path.EndsWith("/secrets", StringComparison.Ordinal))
        {
            var id = request.Uri.Query.Split("secretId=")[1];
            return ExistingSecrets.Contains(id) || !secrets.Add(id)
                ? Json(HttpStatusCode.Conflict, """{"error":{"code":409,"message":"Secret already exists","status":"ALREADY_EXISTS"}}""")
                : Json(HttpStatusCode.OK, $$"""{"name":"{{path[4..]}}/{{id}}"}""");
        }

        if (request.Method == HttpMethod.Post && path.EndsWith(":addVersion", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, $$"""{"name":"{{path[4..^11]}}/versions/1","state":"ENABLED"}""");
        }

        if (request.Method == HttpMethod.Delete)
        {
            var id = path[(path.LastIndexOf('/') + 1)..];
            return secrets.Remove(id) | ExistingSecrets.Remove(id)
                ? Json(HttpStatusCode.OK, "{}")
                : Json(HttpStatusCode.NotFound, """{"error":{"code":404,"message":"Secret not found","status":"NOT_FOUND"}}""");
        }

        return Json(HttpStatusCode.BadRequest, """{"error":{"code":400,"message":"unexpected","status":"INVALID_ARGUMENT"}}""");
    }

    private static HttpResponseMessage CloudRun(RecordedRequest request)
    {
        if (request.Method == HttpMethod.Get)
        {
            return Json(HttpStatusCode.OK, "{}");
        }

        if (request.Method == HttpMethod.Post)
        {
            var service = JsonNode.Parse(request.Body!)!.AsObject();
            service["name"] = request.Uri.AbsolutePath[4..] + "/" + request.Uri.Query.Split("serviceId=")[1];
            service["uri"] = "https://candidate.example.run.app";
            service["terminalCondition"] = new JsonObject { ["type"] = "Ready", ["state"] = "CONDITION_SUCCEEDED" };
            return Json(HttpStatusCode.OK, new JsonObject
            {
                ["name"] = "projects/p/locations/l/operations/create",
                ["done"] = true,
                ["response"] = service,
            }.ToJsonString());
        }

        return Json(HttpStatusCode.OK, """{"name":"projects/p/locations/l/operations/delete","done":true,"response":{}}""");
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}

public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Body);
