using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// The Cloud Run Admin API v2 over REST. Safe to hold as a singleton: it takes an <see cref="HttpClient"/>
/// from the factory per call (named <see cref="HttpClientName"/>), so handler lifetimes and DNS changes are
/// respected; the pipeline (resilience, service discovery, authentication) is configured on that name.
/// </summary>
public sealed partial class CloudRunClient(
    IHttpClientFactory httpClientFactory,
    IOptions<CloudRunOptions> options,
    TimeProvider timeProvider,
    ILogger<CloudRunClient> logger) : ICloudRunClient
{
    public const string HttpClientName = "cloud-run";

    /// <summary>
    /// One <c>:wait</c> call waits at most this long, and at most half the per-attempt timeout, which would
    /// otherwise cut a long wait short and retry it.
    /// </summary>
    private static readonly TimeSpan MaxWaitPerCall = TimeSpan.FromSeconds(5);

    /// <summary>The wire format: camelCase, unset fields left out, unknown fields ignored.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    public Task<CloudRunOperation> CreateServiceAsync(string parent, CloudRunService service, string serviceId,
        CancellationToken cancellationToken) =>
        SendAsync<CloudRunOperation>(HttpMethod.Post,
            $"{ResourcePath(parent)}/services?serviceId={Uri.EscapeDataString(serviceId)}", service, cancellationToken);

    public Task<CloudRunService> GetServiceAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<CloudRunService>(HttpMethod.Get, ResourcePath(name), body: null, cancellationToken);

    public Task<CloudRunServicePage> ListServicesAsync(string parent, int? pageSize, string? pageToken,
        CancellationToken cancellationToken)
    {
        var query = new List<string>(2);
        if (pageSize is { } size)
        {
            query.Add($"pageSize={size}");
        }

        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Add($"pageToken={Uri.EscapeDataString(pageToken)}");
        }

        var path = $"{ResourcePath(parent)}/services" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return SendAsync<CloudRunServicePage>(HttpMethod.Get, path, body: null, cancellationToken);
    }

    public Task<CloudRunOperation> UpdateServiceAsync(CloudRunService service, IReadOnlyList<string>? updateMask,
        bool allowMissing, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(service.Name, nameof(service));
        var query = new List<string>(2);
        if (updateMask is { Count: > 0 })
        {
            query.Add("updateMask=" + Uri.EscapeDataString(string.Join(',', updateMask)));
        }

        if (allowMissing)
        {
            query.Add("allowMissing=true");
        }

        var path = ResourcePath(service.Name) + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return SendAsync<CloudRunOperation>(HttpMethod.Patch, path, service, cancellationToken);
    }

    public Task<CloudRunOperation> DeleteServiceAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<CloudRunOperation>(HttpMethod.Delete, ResourcePath(name), body: null, cancellationToken);

    public Task<CloudRunOperation> GetOperationAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<CloudRunOperation>(HttpMethod.Get, ResourcePath(name), body: null, cancellationToken);

    public Task<CloudRunOperation> WaitOperationAsync(string name, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync<CloudRunOperation>(HttpMethod.Post, ResourcePath(name) + ":wait",
            new WaitOperationRequest(string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.###}s")),
            cancellationToken);

    public async Task<CloudRunOperation> PollUntilCompletedAsync(CloudRunOperation operation, CloudRunPollSettings? settings,
        CancellationToken cancellationToken)
    {
        settings ??= options.Value.PollSettings;
        var started = timeProvider.GetTimestamp();
        var delay = settings.InitialDelay;
        var polls = 0;
        while (!operation.Done)
        {
            var remaining = settings.Timeout - timeProvider.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"Operation {operation.Name} was not done after {settings.Timeout.TotalSeconds:0.###} s.");
            }

            if (settings.UseOperationWait)
            {
                var perCall = TimeSpan.FromTicks(Math.Min(MaxWaitPerCall.Ticks, options.Value.AttemptTimeout.Ticks / 2));
                operation = await WaitOperationAsync(operation.Name, remaining < perCall ? remaining : perCall,
                    cancellationToken);
            }
            else
            {
                await Task.Delay(delay < remaining ? delay : remaining, timeProvider, cancellationToken);
                operation = await GetOperationAsync(operation.Name, cancellationToken);
                delay = settings.NextDelay(delay);
            }

            polls++;
        }

        LogOperationDone(operation.Name, polls, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        return operation;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: JsonOptions);
        }

        var http = httpClientFactory.CreateClient(HttpClientName);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ReadErrorAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<T>(JsonOptions, cancellationToken)
            ?? throw new CloudRunApiException(response.StatusCode, CloudRunApiException.Unknown,
                $"Cloud Run answered {method} {path} with an empty body.");
    }

    /// <summary>Google's error body when there is one; otherwise the HTTP status and the start of the body.</summary>
    private static async Task<CloudRunApiException> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonSerializer.Deserialize<ErrorEnvelope>(text, JsonOptions)?.Error is { } error)
            {
                return new CloudRunApiException(response.StatusCode,
                    error.Status ?? CloudRunApiException.StatusFor(response.StatusCode),
                    error.Message ?? response.ReasonPhrase ?? "",
                    error.Details);
            }
        }
        catch (JsonException)
        {
            // Not Google's error shape (e.g. a proxy's HTML page): described below.
        }

        var excerpt = text.Length > 200 ? text[..200] + "…" : text;
        return new CloudRunApiException(response.StatusCode, CloudRunApiException.StatusFor(response.StatusCode),
            $"Cloud Run API answered {(int)response.StatusCode} {response.ReasonPhrase}: {excerpt}");
    }

    /// <summary><c>/v2/projects/p/locations/l/services/s</c>, each segment escaped.</summary>
    private static string ResourcePath(string name) =>
        "/v2/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var jsonOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        jsonOptions.MakeReadOnly(populateMissingResolver: true);
        return jsonOptions;
    }

    [LoggerMessage(LogLevel.Debug, "Operation {OperationName} done after {Polls} polls, {ElapsedMs:0.0} ms")]
    private partial void LogOperationDone(string operationName, int polls, double elapsedMs);

    /// <summary><c>WaitOperationRequest</c>; the timeout is a <c>google.protobuf.Duration</c> such as "5s".</summary>
    private sealed record WaitOperationRequest(string Timeout);

    private sealed record ErrorEnvelope(ErrorBody? Error);

    private sealed record ErrorBody(int Code, string? Message, string? Status, IReadOnlyList<JsonElement>? Details);
}
