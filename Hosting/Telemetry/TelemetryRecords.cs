namespace Sdp.Hosting.Telemetry;

/// <summary>One span as received over OTLP; times in Unix nanoseconds, ids in lower-case hex.</summary>
internal sealed record TelemetrySpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Resource,
    string Scope,
    SpanKind Kind,
    long StartUnixNanos,
    long EndUnixNanos,
    SpanStatus Status,
    string? StatusMessage,
    IReadOnlyDictionary<string, string> Attributes)
{
    public double DurationMs => (EndUnixNanos - StartUnixNanos) / 1_000_000.0;
}

/// <summary>OTLP's span kinds, numbered as in its protocol.</summary>
internal enum SpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

/// <summary>OTLP's status codes, numbered as in its protocol.</summary>
internal enum SpanStatus
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}

/// <summary>One structured log entry: the message as formatted, and the template's values as attributes.</summary>
internal sealed record TelemetryLog(
    DateTimeOffset Timestamp,
    string Resource,
    string Level,
    string Category,
    string Message,
    string? TraceId,
    string? SpanId,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>Assigned by the store, increasing, for <c>after=</c> paging.</summary>
    public long Sequence { get; init; }
}

/// <summary>One data point of a metric: a number (sum or gauge) or a histogram.</summary>
internal sealed record TelemetryMetricPoint(
    string Resource,
    string Name,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, string> Attributes,
    double? Value,
    HistogramValue? Histogram);

/// <summary>
/// A histogram as OTLP sends it: <c>Counts[i]</c> counts the values in (<c>Bounds[i-1]</c>, <c>Bounds[i]</c>], the last
/// bucket those above every bound; cumulative over time (since the process started).
/// </summary>
internal sealed record HistogramValue(IReadOnlyList<double> Bounds, IReadOnlyList<ulong> Counts, ulong Count, double Sum);
