using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Sdp.Orchestrator.Api.Auth;

namespace Sdp.Orchestrator.Api.Audit;

/// <summary>
/// Appends one audit entry for every mutating request under <c>/api/</c> (POST, PUT, PATCH, DELETE), after the
/// endpoint ran, whatever the outcome: refusals (401, 403, 404, 409, 429, validation) are what an auditor looks
/// for. Placed before authentication and authorization so it also sees their refusals, and reads the caller once
/// they have run. Records who, what, on what and how it ended; never a body, a header or a secret. A failed write
/// is logged and counted, and the response is left as it was.
/// </summary>
public sealed partial class AuditLogMiddleware(
    RequestDelegate next,
    AuditLog log,
    AuditMetrics metrics,
    TimeProvider time,
    ILogger<AuditLogMiddleware> logger)
{
    private const int MaxTextLength = 200;
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsAudited(context.Request))
        {
            await next(context);
            return;
        }

        // Taken now: the exception handler clears the endpoint and route values before it answers.
        var endpoint = context.GetEndpoint();
        var routeValues = new RouteValueDictionary(context.Request.RouteValues);
        var requestId = RequestId(context);
        var threw = false;
        try
        {
            await next(context);
        }
        catch
        {
            threw = true;
            throw;
        }
        finally
        {
            endpoint ??= context.GetEndpoint();
            var statusCode = threw ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            await AppendAsync(context, endpoint, routeValues, requestId, statusCode);
        }
    }

    private async Task AppendAsync(HttpContext context, Endpoint? endpoint, RouteValueDictionary routeValues,
        string requestId, int statusCode)
    {
        var audited = endpoint?.Metadata.GetMetadata<AuditedEndpoint>();
        var action = audited?.Action ?? FallbackAction(context.Request, endpoint);
        var caller = context.GetCaller();
        var record = new AuditRecord(
            time.GetUtcNow(),
            requestId,
            caller?.KeyId,
            caller?.KeyName,
            caller?.Role,
            caller?.TenantId,
            action,
            Target(audited, routeValues, context.Response),
            (short)statusCode,
            ClientIp(context.Connection.RemoteIpAddress));
        try
        {
            // The client may be gone; the entry is still owed, within a bound.
            using var timeout = new CancellationTokenSource(WriteTimeout, time);
            await log.AppendAsync(record, timeout.Token);
        }
        catch (Exception exception)
        {
            metrics.WriteFailed();
            logger.LogError(exception, "Writing the audit entry for {Action} ({StatusCode}, request {RequestId}) failed",
                action, statusCode, requestId);
        }
    }

    private static bool IsAudited(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)
         || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method))
        && request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>The W3C trace id, which finds the request's trace; ASP.NET Core's identifier when none is recorded.</summary>
    private static string RequestId(HttpContext context) =>
        Activity.Current is { } activity && activity.TraceId != default
            ? activity.TraceId.ToHexString()
            : context.TraceIdentifier;

    /// <summary><c>POST /api/deployments/{id:long}</c>: the route's pattern, or the path when no route matched.</summary>
    private static string FallbackAction(HttpRequest request, Endpoint? endpoint)
    {
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText is { Length: > 0 } pattern
            ? "/" + pattern.TrimStart('/')
            : request.Path.Value ?? "";
        return Bounded($"{request.Method} {route}");
    }

    private static string? Target(AuditedEndpoint? audited, RouteValueDictionary routeValues, HttpResponse response)
    {
        if (audited is null)
        {
            return null;
        }

        if (audited.CreatedKind is not null && CreatedId(response.Headers.Location.ToString()) is { } created)
        {
            return Bounded($"{audited.CreatedKind}:{created}");
        }

        if (audited.Target is null)
        {
            return null;
        }

        var complete = true;
        var target = RouteParameter().Replace(audited.Target, match =>
        {
            if (routeValues.TryGetValue(match.Groups[1].Value, out var value) && value?.ToString() is { Length: > 0 } text)
            {
                return text;
            }

            complete = false;
            return match.Value;
        });
        return complete ? Bounded(target) : null;
    }

    /// <summary>The last segment of a Location header's path, e.g. <c>42</c> of <c>/api/deployments/42</c>.</summary>
    private static string? CreatedId(string location)
    {
        var path = location.Split('?', '#')[0].TrimEnd('/');
        var id = path[(path.LastIndexOf('/') + 1)..];
        return id.Length > 0 ? id : null;
    }

    /// <summary>IPv4 for IPv4-mapped addresses; IPv6 without a zone, which <c>inet</c> does not take.</summary>
    private static string? ClientIp(IPAddress? address) => address switch
    {
        null => null,
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => new IPAddress(address.GetAddressBytes()).ToString(),
        _ => address.ToString(),
    };

    private static string Bounded(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength];

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameter();
}
