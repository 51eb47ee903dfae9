using System.Net;
using System.Text.Json;

namespace Sdp.Observability.Tests.Infrastructure;

/// <summary>
/// The Aspire dashboard's telemetry HTTP API (<c>/api/telemetry/spans|traces|logs</c>, OTLP JSON under
/// <c>data</c>), read with its API key (<c>X-API-Key</c>), flattened into spans and log records.
/// </summary>
public sealed class DashboardTelemetry(HttpClient dashboard)
{
    /// <summary>OTLP's span kinds, by number.</summary>
    private static readonly string[] Kinds = ["Unspecified", "Internal", "Server", "Client", "Producer", "Consumer"];

    public HttpClient Http => dashboard;

    /// <summary>The spans the dashboard keeps, newest last; of one resource if given.</summary>
    public async Task<IReadOnlyList<TelemetrySpan>> GetSpansAsync(string? resource, CancellationToken cancellationToken)
    {
        var query = resource is null ? "" : $"&resource={Uri.EscapeDataString(resource)}";
        return Spans(await GetDataAsync($"/api/telemetry/spans?limit=100000{query}", cancellationToken));
    }

    /// <summary>Every span of the trace the dashboard has so far; empty if it has none yet.</summary>
    public async Task<IReadOnlyList<TelemetrySpan>> GetTraceAsync(string traceId, CancellationToken cancellationToken)
    {
        using var response = await dashboard.GetAsync($"/api/telemetry/traces/{traceId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
        return Spans(json.GetProperty("data"));
    }

    /// <summary>Structured log records, of one resource and at least a severity if given.</summary>
    public async Task<IReadOnlyList<TelemetryLog>> GetLogsAsync(string? resource, string? severity,
        CancellationToken cancellationToken)
    {
        var query = (resource is null ? "" : $"&resource={Uri.EscapeDataString(resource)}")
            + (severity is null ? "" : $"&severity={severity}");
        var data = await GetDataAsync($"/api/telemetry/logs?limit=100000{query}", cancellationToken);
        var logs = new List<TelemetryLog>();
        foreach (var resourceLogs in data.GetProperty("resourceLogs").EnumerateArray())
        {
            var name = ServiceName(resourceLogs);
            foreach (var scope in resourceLogs.GetProperty("scopeLogs").EnumerateArray())
            {
                foreach (var record in scope.GetProperty("logRecords").EnumerateArray())
                {
                    logs.Add(new TelemetryLog(name, scope.GetProperty("scope").GetProperty("name").GetString()!,
                        record.GetProperty("severityText").GetString()!,
                        record.TryGetProperty("body", out var body) ? AttributeText(body) : "",
                        record.TryGetProperty("traceId", out var traceId) ? traceId.GetString() : null,
                        Attributes(record)));
                }
            }
        }

        return logs;
    }

    private async Task<JsonElement> GetDataAsync(string path, CancellationToken cancellationToken)
    {
        var json = JsonDocument.Parse(await dashboard.GetStringAsync(path, cancellationToken)).RootElement;
        return json.GetProperty("data");
    }

    private static List<TelemetrySpan> Spans(JsonElement data)
    {
        var spans = new List<TelemetrySpan>();
        foreach (var resourceSpans in data.GetProperty("resourceSpans").EnumerateArray())
        {
            var name = ServiceName(resourceSpans);
            foreach (var scope in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    var parent = span.TryGetProperty("parentSpanId", out var p) && p.GetString() is { Length: > 0 } id ? id : null;
                    var kind = span.TryGetProperty("kind", out var k) ? k.GetInt32() : 0;
                    spans.Add(new TelemetrySpan(span.GetProperty("traceId").GetString()!, span.GetProperty("spanId").GetString()!,
                        parent, span.GetProperty("name").GetString()!, name, scope.GetProperty("scope").GetProperty("name").GetString()!,
                        kind >= 0 && kind < Kinds.Length ? Kinds[kind] : kind.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Attributes(span)));
                }
            }
        }

        return spans;
    }

    private static string ServiceName(JsonElement resourceTelemetry) =>
        resourceTelemetry.GetProperty("resource").GetProperty("attributes").EnumerateArray()
            .Where(a => a.GetProperty("key").GetString() == "service.name")
            .Select(a => AttributeText(a.GetProperty("value"))).FirstOrDefault() ?? "";

    private static Dictionary<string, string> Attributes(JsonElement item) =>
        item.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().GroupBy(a => a.GetProperty("key").GetString()!)
                .ToDictionary(g => g.Key, g => AttributeText(g.First().GetProperty("value")))
            : [];

    /// <summary>An OTLP AnyValue as text: the string as it is, anything else as its JSON.</summary>
    private static string AttributeText(JsonElement value) =>
        value.TryGetProperty("stringValue", out var text) ? text.GetString()!
        : value.EnumerateObject().FirstOrDefault().Value.ToString();
}

public sealed record TelemetrySpan(string TraceId, string SpanId, string? ParentSpanId, string Name, string Resource,
    string Scope, string Kind, IReadOnlyDictionary<string, string> Attributes);

public sealed record TelemetryLog(string Resource, string Category, string Severity, string Message, string? TraceId,
    IReadOnlyDictionary<string, string> Attributes);
