using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Sdp.Hosting.Telemetry;

/// <summary>
/// The dashboard's JSON over the kept telemetry (snake_case):
/// <list type="bullet">
/// <item><c>GET /api/traces?resource=&amp;deployment_id=&amp;limit=</c>: newest first, one summary per trace; only those
/// with a span of that resource, or a span tagged with that deployment (<c>sdp.deployment.id</c>).</item>
/// <item><c>GET /api/traces/{trace_id}</c>: the trace's spans by start time (404 when not kept).</item>
/// <item><c>GET /api/logs?resource=&amp;level=&amp;after=&amp;limit=</c>: structured logs at or above a level, oldest first.</item>
/// <item><c>GET /api/charts/deployment-time?window_seconds=</c>: p50/p95/p99 of deployment time over time.</item>
/// <item><c>GET /api/charts/deployments-by-state</c>: how many deployments are in each state, over time.</item>
/// </list>
/// </summary>
internal static class TelemetryApiEndpoints
{
    public const string DeploymentDurationMetric = "sdp.deployment.duration";
    public const string DeploymentsByStateMetric = "sdp.deployments.current";

    private static readonly TimeSpan ChartStep = TimeSpan.FromSeconds(5);

    public static void MapTelemetryApi(this IEndpointRouteBuilder app, TelemetryStore store, JsonSerializerOptions json)
    {
        app.MapGet("/api/traces", (string? resource, [FromQuery(Name = "deployment_id")] string? deploymentId, int? limit) =>
            Results.Json(store.GetTraces(NullIfEmpty(resource), NullIfEmpty(deploymentId), Math.Clamp(limit ?? 100, 1, 1000)).Select(t => new
            {
                t.TraceId,
                t.Name,
                t.Resource,
                Start = ToTime(t.StartUnixNanos),
                t.DurationMs,
                t.SpanCount,
                t.Resources,
                t.HasError,
            }), json));

        app.MapGet("/api/traces/{traceId}", (string traceId) => store.GetTrace(traceId.ToLowerInvariant()) is { } spans
            ? Results.Json(spans.Select(s => new
            {
                s.TraceId,
                s.SpanId,
                s.ParentSpanId,
                s.Name,
                s.Resource,
                s.Scope,
                Kind = s.Kind.ToString(),
                Start = ToTime(s.StartUnixNanos),
                OffsetMs = (s.StartUnixNanos - spans[0].StartUnixNanos) / 1_000_000.0,
                s.DurationMs,
                Status = s.Status.ToString(),
                s.StatusMessage,
                s.Attributes,
            }), json)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Trace {traceId} is not kept."));

        app.MapGet("/api/logs", (string? resource, string? level, long? after, int? limit) =>
            Results.Json(store.GetLogs(NullIfEmpty(resource), NullIfEmpty(level), after ?? 0, Math.Clamp(limit ?? 500, 1, 5000)),
                json));

        app.MapGet("/api/charts/deployment-time", ([FromQuery(Name = "window_seconds")] int? windowSeconds) =>
            Results.Json(MetricCharts.Quantiles(store.GetSamplesByResource(DeploymentDurationMetric),
                TimeSpan.FromSeconds(Math.Clamp(windowSeconds ?? 60, 5, 3600)), ChartStep), json));

        app.MapGet("/api/charts/deployments-by-state", () =>
            Results.Json(MetricCharts.ByLabel(store.GetSamples(DeploymentsByStateMetric), "state"), json));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static DateTimeOffset ToTime(long unixNanos) => DateTimeOffset.UnixEpoch.AddTicks(unixNanos / 100);
}
