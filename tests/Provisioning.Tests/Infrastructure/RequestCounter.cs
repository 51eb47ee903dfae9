using System.Collections.Concurrent;

namespace Sdp.Provisioning.Tests.Infrastructure;

/// <summary>
/// Counts the HTTP attempts that reach the wire (it sits below the resilience pipeline), by method and whether the
/// request creates a service, so tests can tell a retried call from one that was not.
/// </summary>
public sealed class RequestCounter : DelegatingHandler
{
    private readonly ConcurrentQueue<(HttpMethod Method, string Path)> seen = new();

    public RequestCounter(HttpMessageHandler inner) => InnerHandler = inner;

    public int Total => seen.Count;

    /// <summary>POSTs to <c>.../services</c>: create attempts.</summary>
    public int Creates => seen.Count(r => r.Method == HttpMethod.Post && r.Path.EndsWith("/services", StringComparison.Ordinal));

    public int Count(HttpMethod method) => seen.Count(r => r.Method == method);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        seen.Enqueue((request.Method, request.RequestUri!.AbsolutePath));
        return base.SendAsync(request, cancellationToken);
    }
}
