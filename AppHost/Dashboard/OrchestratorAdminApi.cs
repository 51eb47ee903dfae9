using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sdp.AppHost.Dashboard;

/// <summary>
/// The Orchestrator's API as the AppHost calls it for the deployments view: with the admin key as a bearer token,
/// at the orchestrator's <c>http</c> endpoint once it is allocated. The key stays in this object: it is sent in the
/// Authorization header only, never put in a URL, a log line, a property or a command result.
/// </summary>
internal sealed class OrchestratorAdminApi(IResourceWithEndpoints orchestrator, string adminKey) : IDisposable
{
    /// <summary>A poll that takes longer than this is a poll of an orchestrator that is not answering.</summary>
    public static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(5);

    // Its own client, not IHttpClientFactory's: a factory client logs every request at Information, which every
    // 2 s would bury the AppHost's console. Timeouts are per call (a sweep may take minutes, a poll must not).
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Where the orchestrator listens, or null before its endpoint is allocated.</summary>
    /// <remarks>
    /// A fresh reference each time: an <see cref="EndpointReference"/> taken before the start keeps answering
    /// "not allocated" after DCP allocated the endpoint.
    /// </remarks>
    public Uri? BaseUrl => orchestrator.GetEndpoint("http") is { IsAllocated: true } http ? new Uri(http.Url) : null;

    /// <summary>
    /// The orchestrator's Prometheus scrape: the counts by state and the figures that say whether anything moved.
    /// <c>/metrics</c> is left out of the services' traces, so polling it every 2 s adds nothing to the dashboard's.
    /// </summary>
    public async Task<string> ReadMetricsAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PollTimeout);
        // /metrics answers without a key (scrapers carry none), so none is sent.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(RequireBaseUrl(), "/metrics"));
        using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>The standby pools and the newest deployments: API requests, each one a trace of its own.</summary>
    public async Task<(IReadOnlyList<StandbyPool> Pools, IReadOnlyList<DeploymentSummary> Recent)> ReadListsAsync(
        int recentCount, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PollTimeout);
        var pools = GetPoolsAsync(timeout.Token);
        var recent = GetJsonAsync<DeploymentPage>($"/api/deployments?limit={recentCount}", timeout.Token);
        await Task.WhenAll(pools, recent).ConfigureAwait(false);
        return (await pools.ConfigureAwait(false), (await recent.ConfigureAwait(false)).Items);
    }

    public async Task<IReadOnlyList<StandbyPool>> GetPoolsAsync(CancellationToken cancellationToken) =>
        (await GetJsonAsync<StandbyPoolList>("/api/admin/standby", cancellationToken).ConfigureAwait(false)).Pools;

    /// <summary>Sends an admin request; the answer, whatever its status, is the caller's to read and dispose.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body,
        CancellationToken cancellationToken)
    {
        var request = NewRequest(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: OrchestratorFigures.Json);
        }

        return SendAndDisposeRequestAsync(request, cancellationToken);
    }

    /// <summary>A refusal's explanation: the problem's <c>detail</c> (or <c>title</c>), else the status.</summary>
    public static async Task<string> DescribeFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            if (problem.ValueKind == JsonValueKind.Object)
            {
                var detail = problem.TryGetProperty("errors", out var errors) ? errors.ToString()
                    : problem.TryGetProperty("detail", out var d) ? d.GetString()
                    : problem.TryGetProperty("title", out var t) ? t.GetString() : null;
                return detail is null ? status : $"{status}: {detail}";
            }
        }
        catch (JsonException)
        {
            // Not a problem document: the status says enough.
        }

        return status;
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> GetJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAndDisposeRequestAsync(NewRequest(HttpMethod.Get, path), cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"GET {path}: {await DescribeFailureAsync(response, cancellationToken).ConfigureAwait(false)}",
                inner: null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<T>(OrchestratorFigures.Json, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"GET {path} answered null.");
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(RequireBaseUrl(), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return request;
    }

    private async Task<HttpResponseMessage> SendAndDisposeRequestAsync(HttpRequestMessage request,
        CancellationToken cancellationToken)
    {
        using (request)
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private Uri RequireBaseUrl() => BaseUrl
        ?? throw new HttpRequestException("orchestrator-api has no endpoint yet: it has not started.");
}
