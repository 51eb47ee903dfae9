using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sdp.ScenarioRunner.Invocation;
using Sdp.Templates.Catalog;

namespace Sdp.ScenarioRunner.Engine;

/// <summary>
/// The only way a scenario reaches the network: relative paths under the deployment's endpoint, no redirects
/// followed (a URL shortener's redirects point at arbitrary hosts), no proxy, no cookies, no retries, each request
/// bounded by the request timeout.
/// </summary>
public sealed class ScenarioHttp : IDisposable
{
    /// <summary>Bodies larger than this are not what any template answers; reading them would only cost memory.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly HttpClient client;
    private readonly UnlistenedMeterFactory meters = new();
    private readonly Uri endpoint;
    private readonly string endpointPrefix;
    private readonly TimeProvider time;

    /// <param name="idTokens">When given, every request carries an ID token whose audience is the endpoint's service URL.</param>
    public ScenarioHttp(Uri endpoint, int maxConnections, TimeSpan requestTimeout, TimeProvider time, IIdTokenSource? idTokens = null)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment))
        {
            throw new ArgumentException($"The endpoint must be an absolute http or https URL without query, got '{endpoint}'.",
                nameof(endpoint));
        }

        this.endpoint = endpoint;
        endpointPrefix = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        RequestTimeout = requestTimeout;
        this.time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            MaxConnectionsPerServer = maxConnections,
            ConnectTimeout = requestTimeout,
            // Out of the http.client metrics, whose labels would name every candidate service tested.
            MeterFactory = meters,
        };
        HttpMessageHandler outermost = idTokens is null
            ? handler
            : new IdTokenHandler(idTokens, endpoint.GetLeftPart(UriPartial.Authority), handler);
        client = new HttpClient(outermost) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxBodyBytes };
    }

    public TimeSpan RequestTimeout { get; }

    public Task<ScenarioResponse> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ScenarioResponse> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    public Task<ScenarioResponse> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<ScenarioResponse> PutAsync(string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, body, cancellationToken);

    /// <summary>Sends raw text as <c>application/json</c>, for checks that malformed input is refused.</summary>
    public Task<ScenarioResponse> PostRawAsync(string path, string json, CancellationToken cancellationToken) =>
        SendTextAsync(HttpMethod.Post, path, json, cancellationToken);

    public Task<ScenarioResponse> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendTextAsync(method, path, body?.ToJsonString(), cancellationToken);

    /// <summary>
    /// Opens a streaming GET (e.g. server-sent events): returns once the headers arrived, within the request timeout;
    /// the body is then read for as long as <paramref name="cancellationToken"/> allows.
    /// </summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, string accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Resolve(path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var timeout = new CancellationTokenSource(RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ScenarioTimeoutException($"GET {path}", RequestTimeout);
        }
    }

    /// <summary>
    /// <paramref name="path"/> under the endpoint. Anything that could leave it (an absolute URL, <c>//host</c>,
    /// a backslash) is refused, so no body the deployment sends can steer traffic elsewhere.
    /// </summary>
    public Uri Resolve(string path)
    {
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('\\'))
        {
            throw new ArgumentException($"Scenario traffic uses paths relative to the endpoint, got '{path}'.", nameof(path));
        }

        var uri = new Uri(endpointPrefix + path, UriKind.Absolute);
        if (!string.Equals(uri.GetLeftPart(UriPartial.Authority), endpoint.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{path}' leaves the endpoint.", nameof(path));
        }

        return uri;
    }

    private async Task<ScenarioResponse> SendTextAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        var description = $"{method} {path}";
        using var request = new HttpRequestMessage(method, Resolve(path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var timeout = new CancellationTokenSource(RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            return new ScenarioResponse(description, response.StatusCode, Headers(response), body);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ScenarioTimeoutException(description, RequestTimeout);
        }
    }

    private static Dictionary<string, string> Headers(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            headers[name] = string.Join(", ", values);
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            headers[name] = string.Join(", ", values);
        }

        return headers;
    }

    public void Dispose()
    {
        client.Dispose();
        meters.Dispose();
    }
}
