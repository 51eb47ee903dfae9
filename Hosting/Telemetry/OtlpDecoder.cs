using System.Globalization;

namespace Sdp.Hosting.Telemetry;

/// <summary>
/// Decodes OTLP/HTTP protobuf export requests (<c>ExportTraceServiceRequest</c>, <c>ExportLogsServiceRequest</c>,
/// <c>ExportMetricsServiceRequest</c>, opentelemetry-proto v1) into records. Field numbers are those of the
/// published .proto files; what the dashboard does not show is skipped.
/// </summary>
internal static class OtlpDecoder
{
    private const string ServiceNameAttribute = "service.name";

    public static List<TelemetrySpan> DecodeTraces(ReadOnlySpan<byte> body)
    {
        var spans = new List<TelemetrySpan>();
        var request = new ProtobufReader(body);
        while (request.TryReadTag(out var field, out var wire))
        {
            if (field != 1 || wire != ProtobufReader.LengthDelimited)
            {
                request.Skip(wire);
                continue;
            }

            // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
            var resourceSpans = new ProtobufReader(request.ReadBytes());
            var resource = "unknown";
            var scopes = new List<byte[]>();
            while (resourceSpans.TryReadTag(out var f, out var w))
            {
                if (f == 1 && w == ProtobufReader.LengthDelimited)
                {
                    resource = ReadServiceName(resourceSpans.ReadBytes());
                }
                else if (f == 2 && w == ProtobufReader.LengthDelimited)
                {
                    scopes.Add(resourceSpans.ReadBytes().ToArray());
                }
                else
                {
                    resourceSpans.Skip(w);
                }
            }

            foreach (var scopeSpans in scopes)
            {
                ReadScopeSpans(scopeSpans, resource, spans);
            }
        }

        return spans;
    }

    public static List<TelemetryLog> DecodeLogs(ReadOnlySpan<byte> body)
    {
        var logs = new List<TelemetryLog>();
        var request = new ProtobufReader(body);
        while (request.TryReadTag(out var field, out var wire))
        {
            if (field != 1 || wire != ProtobufReader.LengthDelimited)
            {
                request.Skip(wire);
                continue;
            }

            // ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
            var resourceLogs = new ProtobufReader(request.ReadBytes());
            var resource = "unknown";
            var scopes = new List<byte[]>();
            while (resourceLogs.TryReadTag(out var f, out var w))
            {
                if (f == 1 && w == ProtobufReader.LengthDelimited)
                {
                    resource = ReadServiceName(resourceLogs.ReadBytes());
                }
                else if (f == 2 && w == ProtobufReader.LengthDelimited)
                {
                    scopes.Add(resourceLogs.ReadBytes().ToArray());
                }
                else
                {
                    resourceLogs.Skip(w);
                }
            }

            foreach (var scopeLogs in scopes)
            {
                ReadScopeLogs(scopeLogs, resource, logs);
            }
        }

        return logs;
    }

    public static List<TelemetryMetricPoint> DecodeMetrics(ReadOnlySpan<byte> body)
    {
        var points = new List<TelemetryMetricPoint>();
        var request = new ProtobufReader(body);
        while (request.TryReadTag(out var field, out var wire))
        {
            if (field != 1 || wire != ProtobufReader.LengthDelimited)
            {
                request.Skip(wire);
                continue;
            }

            // ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; }
            var resourceMetrics = new ProtobufReader(request.ReadBytes());
            var resource = "unknown";
            var scopes = new List<byte[]>();
            while (resourceMetrics.TryReadTag(out var f, out var w))
            {
                if (f == 1 && w == ProtobufReader.LengthDelimited)
                {
                    resource = ReadServiceName(resourceMetrics.ReadBytes());
                }
                else if (f == 2 && w == ProtobufReader.LengthDelimited)
                {
                    scopes.Add(resourceMetrics.ReadBytes().ToArray());
                }
                else
                {
                    resourceMetrics.Skip(w);
                }
            }

            foreach (var scopeMetrics in scopes)
            {
                // ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; }
                var reader = new ProtobufReader(scopeMetrics);
                while (reader.TryReadTag(out var f, out var w))
                {
                    if (f == 2 && w == ProtobufReader.LengthDelimited)
                    {
                        ReadMetric(reader.ReadBytes(), resource, points);
                    }
                    else
                    {
                        reader.Skip(w);
                    }
                }
            }
        }

        return points;
    }

    private static void ReadScopeSpans(ReadOnlySpan<byte> data, string resource, List<TelemetrySpan> spans)
    {
        // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
        var reader = new ProtobufReader(data);
        var scope = "";
        var pending = new List<byte[]>();
        while (reader.TryReadTag(out var f, out var w))
        {
            if (f == 1 && w == ProtobufReader.LengthDelimited)
            {
                scope = ReadScopeName(reader.ReadBytes());
            }
            else if (f == 2 && w == ProtobufReader.LengthDelimited)
            {
                pending.Add(reader.ReadBytes().ToArray());
            }
            else
            {
                reader.Skip(w);
            }
        }

        foreach (var span in pending)
        {
            spans.Add(ReadSpan(span, resource, scope));
        }
    }

    private static TelemetrySpan ReadSpan(ReadOnlySpan<byte> data, string resource, string scope)
    {
        // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
        //        fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
        //        Status status = 15; }
        var reader = new ProtobufReader(data);
        string traceId = "", spanId = "", name = "";
        string? parent = null, statusMessage = null;
        var kind = SpanKind.Unspecified;
        var status = SpanStatus.Unset;
        long start = 0, end = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.TryReadTag(out var f, out var w))
        {
            switch (f)
            {
                case 1 when w == ProtobufReader.LengthDelimited:
                    traceId = Convert.ToHexStringLower(reader.ReadBytes());
                    break;
                case 2 when w == ProtobufReader.LengthDelimited:
                    spanId = Convert.ToHexStringLower(reader.ReadBytes());
                    break;
                case 4 when w == ProtobufReader.LengthDelimited:
                    var parentBytes = reader.ReadBytes();
                    parent = parentBytes.IsEmpty ? null : Convert.ToHexStringLower(parentBytes);
                    break;
                case 5 when w == ProtobufReader.LengthDelimited:
                    name = reader.ReadString();
                    break;
                case 6 when w == ProtobufReader.Varint:
                    kind = (SpanKind)(int)reader.ReadVarint();
                    break;
                case 7 when w == ProtobufReader.Fixed64:
                    start = (long)reader.ReadFixed64();
                    break;
                case 8 when w == ProtobufReader.Fixed64:
                    end = (long)reader.ReadFixed64();
                    break;
                case 9 when w == ProtobufReader.LengthDelimited:
                    AddKeyValue(reader.ReadBytes(), attributes);
                    break;
                case 15 when w == ProtobufReader.LengthDelimited:
                    (status, statusMessage) = ReadStatus(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(w);
                    break;
            }
        }

        return new TelemetrySpan(traceId, spanId, parent, name, resource, scope, kind, start, end, status, statusMessage, attributes);
    }

    private static (SpanStatus, string?) ReadStatus(ReadOnlySpan<byte> data)
    {
        // Status { string message = 2; StatusCode code = 3; }
        var reader = new ProtobufReader(data);
        var code = SpanStatus.Unset;
        string? message = null;
        while (reader.TryReadTag(out var f, out var w))
        {
            if (f == 2 && w == ProtobufReader.LengthDelimited)
            {
                message = reader.ReadString();
            }
            else if (f == 3 && w == ProtobufReader.Varint)
            {
                code = (SpanStatus)(int)reader.ReadVarint();
            }
            else
            {
                reader.Skip(w);
            }
        }

        return (code, string.IsNullOrEmpty(message) ? null : message);
    }

    private static void ReadScopeLogs(ReadOnlySpan<byte> data, string resource, List<TelemetryLog> logs)
    {
        // ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; }
        var reader = new ProtobufReader(data);
        var scope = "";
        var pending = new List<byte[]>();
        while (reader.TryReadTag(out var f, out var w))
        {
            if (f == 1 && w == ProtobufReader.LengthDelimited)
            {
                scope = ReadScopeName(reader.ReadBytes());
            }
            else if (f == 2 && w == ProtobufReader.LengthDelimited)
            {
                pending.Add(reader.ReadBytes().ToArray());
            }
            else
            {
                reader.Skip(w);
            }
        }

        foreach (var record in pending)
        {
            logs.Add(ReadLogRecord(record, resource, scope));
        }
    }

    private static TelemetryLog ReadLogRecord(ReadOnlySpan<byte> data, string resource, string scope)
    {
        // LogRecord { fixed64 time_unix_nano = 1; SeverityNumber severity_number = 2; string severity_text = 3;
        //             AnyValue body = 5; repeated KeyValue attributes = 6; bytes trace_id = 9; bytes span_id = 10;
        //             fixed64 observed_time_unix_nano = 11; }
        var reader = new ProtobufReader(data);
        long time = 0, observed = 0;
        var severity = 0;
        string message = "";
        string? traceId = null, spanId = null;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.TryReadTag(out var f, out var w))
        {
            switch (f)
            {
                case 1 when w == ProtobufReader.Fixed64:
                    time = (long)reader.ReadFixed64();
                    break;
                case 2 when w == ProtobufReader.Varint:
                    severity = (int)reader.ReadVarint();
                    break;
                case 5 when w == ProtobufReader.LengthDelimited:
                    message = ReadAnyValue(reader.ReadBytes());
                    break;
                case 6 when w == ProtobufReader.LengthDelimited:
                    AddKeyValue(reader.ReadBytes(), attributes);
                    break;
                case 9 when w == ProtobufReader.LengthDelimited:
                    traceId = NonEmptyHex(reader.ReadBytes());
                    break;
                case 10 when w == ProtobufReader.LengthDelimited:
                    spanId = NonEmptyHex(reader.ReadBytes());
                    break;
                case 11 when w == ProtobufReader.Fixed64:
                    observed = (long)reader.ReadFixed64();
                    break;
                default:
                    reader.Skip(w);
                    break;
            }
        }

        return new TelemetryLog(FromUnixNanos(time != 0 ? time : observed), resource, LevelOf(severity), scope, message,
            traceId, spanId, attributes);
    }

    private static void ReadMetric(ReadOnlySpan<byte> data, string resource, List<TelemetryMetricPoint> points)
    {
        // Metric { string name = 1; Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; }
        // Gauge/Sum/Histogram { repeated *DataPoint data_points = 1; }
        var reader = new ProtobufReader(data);
        var name = "";
        var bodies = new List<(int Kind, byte[] Data)>();
        while (reader.TryReadTag(out var f, out var w))
        {
            if (f == 1 && w == ProtobufReader.LengthDelimited)
            {
                name = reader.ReadString();
            }
            else if (f is 5 or 7 or 9 && w == ProtobufReader.LengthDelimited)
            {
                bodies.Add((f, reader.ReadBytes().ToArray()));
            }
            else
            {
                reader.Skip(w);
            }
        }

        foreach (var (kind, body) in bodies)
        {
            var container = new ProtobufReader(body);
            while (container.TryReadTag(out var f, out var w))
            {
                if (f == 1 && w == ProtobufReader.LengthDelimited)
                {
                    points.Add(kind == 9
                        ? ReadHistogramPoint(container.ReadBytes(), resource, name)
                        : ReadNumberPoint(container.ReadBytes(), resource, name));
                }
                else
                {
                    container.Skip(w);
                }
            }
        }
    }

    private static TelemetryMetricPoint ReadNumberPoint(ReadOnlySpan<byte> data, string resource, string name)
    {
        // NumberDataPoint { fixed64 time_unix_nano = 3; double as_double = 4; sfixed64 as_int = 6; repeated KeyValue attributes = 7; }
        var reader = new ProtobufReader(data);
        long time = 0;
        double value = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.TryReadTag(out var f, out var w))
        {
            switch (f)
            {
                case 3 when w == ProtobufReader.Fixed64:
                    time = (long)reader.ReadFixed64();
                    break;
                case 4 when w == ProtobufReader.Fixed64:
                    value = reader.ReadDouble();
                    break;
                case 6 when w == ProtobufReader.Fixed64:
                    value = (long)reader.ReadFixed64();
                    break;
                case 7 when w == ProtobufReader.LengthDelimited:
                    AddKeyValue(reader.ReadBytes(), attributes);
                    break;
                default:
                    reader.Skip(w);
                    break;
            }
        }

        return new TelemetryMetricPoint(resource, name, FromUnixNanos(time), attributes, value, null);
    }

    private static TelemetryMetricPoint ReadHistogramPoint(ReadOnlySpan<byte> data, string resource, string name)
    {
        // HistogramDataPoint { fixed64 time_unix_nano = 3; fixed64 count = 4; double sum = 5;
        //                      repeated fixed64 bucket_counts = 6; repeated double explicit_bounds = 7;
        //                      repeated KeyValue attributes = 9; }
        var reader = new ProtobufReader(data);
        long time = 0;
        ulong count = 0;
        double sum = 0;
        var counts = new List<ulong>();
        var bounds = new List<double>();
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.TryReadTag(out var f, out var w))
        {
            switch (f)
            {
                case 3 when w == ProtobufReader.Fixed64:
                    time = (long)reader.ReadFixed64();
                    break;
                case 4 when w == ProtobufReader.Fixed64:
                    count = reader.ReadFixed64();
                    break;
                case 5 when w == ProtobufReader.Fixed64:
                    sum = reader.ReadDouble();
                    break;
                case 6 when w == ProtobufReader.LengthDelimited:
                    var packedCounts = new ProtobufReader(reader.ReadBytes());
                    while (!packedCounts.AtEnd)
                    {
                        counts.Add(packedCounts.ReadFixed64());
                    }

                    break;
                case 6 when w == ProtobufReader.Fixed64:
                    counts.Add(reader.ReadFixed64());
                    break;
                case 7 when w == ProtobufReader.LengthDelimited:
                    var packedBounds = new ProtobufReader(reader.ReadBytes());
                    while (!packedBounds.AtEnd)
                    {
                        bounds.Add(packedBounds.ReadDouble());
                    }

                    break;
                case 7 when w == ProtobufReader.Fixed64:
                    bounds.Add(reader.ReadDouble());
                    break;
                case 9 when w == ProtobufReader.LengthDelimited:
                    AddKeyValue(reader.ReadBytes(), attributes);
                    break;
                default:
                    reader.Skip(w);
                    break;
            }
        }

        return new TelemetryMetricPoint(resource, name, FromUnixNanos(time), attributes, null,
            new HistogramValue(bounds, counts, count, sum));
    }

    private static string ReadServiceName(ReadOnlySpan<byte> data)
    {
        // Resource { repeated KeyValue attributes = 1; }
        var reader = new ProtobufReader(data);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.TryReadTag(out var f, out var w))
        {
            if (f == 1 && w == ProtobufReader.LengthDelimited)
            {
                AddKeyValue(reader.ReadBytes(), attributes);
            }
            else
            {
                reader.Skip(w);
            }
        }

        return attributes.GetValueOrDefault(ServiceNameAttribute, "unknown");
    }

    private static string ReadScopeName(ReadOnlySpan<byte> data)
    {
        // InstrumentationScope { string name = 1; }
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var f, out var w))
        {
            if (f == 1 && w == ProtobufReader.LengthDelimited)
            {
                return reader.ReadString();
            }

            reader.Skip(w);
        }

        return "";
    }

    private static void AddKeyValue(ReadOnlySpan<byte> data, Dictionary<string, string> attributes)
    {
        // KeyValue { string key = 1; AnyValue value = 2; }
        var reader = new ProtobufReader(data);
        var key = "";
        var value = "";
        while (reader.TryReadTag(out var f, out var w))
        {
            if (f == 1 && w == ProtobufReader.LengthDelimited)
            {
                key = reader.ReadString();
            }
            else if (f == 2 && w == ProtobufReader.LengthDelimited)
            {
                value = ReadAnyValue(reader.ReadBytes());
            }
            else
            {
                reader.Skip(w);
            }
        }

        if (key.Length > 0)
        {
            attributes[key] = value;
        }
    }

    private static string ReadAnyValue(ReadOnlySpan<byte> data)
    {
        // AnyValue { oneof { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
        //            double double_value = 4; ArrayValue array_value = 5; ... bytes bytes_value = 7; } }
        var reader = new ProtobufReader(data);
        var value = "";
        while (reader.TryReadTag(out var f, out var w))
        {
            switch (f)
            {
                case 1 when w == ProtobufReader.LengthDelimited:
                    value = reader.ReadString();
                    break;
                case 2 when w == ProtobufReader.Varint:
                    value = reader.ReadVarint() != 0 ? "true" : "false";
                    break;
                case 3 when w == ProtobufReader.Varint:
                    value = ((long)reader.ReadVarint()).ToString(CultureInfo.InvariantCulture);
                    break;
                case 4 when w == ProtobufReader.Fixed64:
                    value = reader.ReadDouble().ToString(CultureInfo.InvariantCulture);
                    break;
                case 5 when w == ProtobufReader.LengthDelimited:
                    value = ReadArrayValue(reader.ReadBytes());
                    break;
                case 7 when w == ProtobufReader.LengthDelimited:
                    value = Convert.ToBase64String(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(w);
                    break;
            }
        }

        return value;
    }

    private static string ReadArrayValue(ReadOnlySpan<byte> data)
    {
        // ArrayValue { repeated AnyValue values = 1; }
        var reader = new ProtobufReader(data);
        var values = new List<string>();
        while (reader.TryReadTag(out var f, out var w))
        {
            if (f == 1 && w == ProtobufReader.LengthDelimited)
            {
                values.Add(ReadAnyValue(reader.ReadBytes()));
            }
            else
            {
                reader.Skip(w);
            }
        }

        return "[" + string.Join(", ", values) + "]";
    }

    private static string? NonEmptyHex(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty || !bytes.ContainsAnyExcept((byte)0) ? null : Convert.ToHexStringLower(bytes);

    private static DateTimeOffset FromUnixNanos(long nanos) =>
        DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);

    /// <summary>OTLP severity numbers in bands of four, named as .NET's log levels.</summary>
    internal static string LevelOf(int severityNumber) => severityNumber switch
    {
        >= 21 => "Critical",
        >= 17 => "Error",
        >= 13 => "Warning",
        >= 9 => "Information",
        >= 5 => "Debug",
        >= 1 => "Trace",
        _ => "Information",
    };
}
