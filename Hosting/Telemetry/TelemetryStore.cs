namespace Sdp.Hosting.Telemetry;

/// <summary>
/// What the host received over OTLP, kept in memory within fixed bounds: the newest traces (by span count), the
/// newest structured logs, and a window of samples of Sdp's own metrics. The oldest go first.
/// </summary>
internal sealed class TelemetryStore(TelemetryLimits limits)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<TelemetrySpan>> _traces = new(StringComparer.Ordinal);
    private readonly Queue<string> _traceOrder = new();
    private readonly Queue<TelemetryLog> _logs = new();
    private readonly Dictionary<(string Resource, string Name), Queue<MetricSample>> _metrics = [];
    private int _spanCount;
    private long _logSequence;

    public TelemetryLimits Limits => limits;

    public void AddSpans(IEnumerable<TelemetrySpan> spans)
    {
        lock (_gate)
        {
            foreach (var span in spans)
            {
                if (!_traces.TryGetValue(span.TraceId, out var trace))
                {
                    trace = [];
                    _traces[span.TraceId] = trace;
                    _traceOrder.Enqueue(span.TraceId);
                }

                if (trace.Count >= limits.MaxSpansPerTrace)
                {
                    continue;
                }

                trace.Add(span);
                _spanCount++;
            }

            while (_spanCount > limits.MaxSpans && _traceOrder.TryDequeue(out var oldest))
            {
                if (_traces.Remove(oldest, out var evicted))
                {
                    _spanCount -= evicted.Count;
                }
            }
        }
    }

    public void AddLogs(IEnumerable<TelemetryLog> logs)
    {
        lock (_gate)
        {
            foreach (var log in logs)
            {
                _logs.Enqueue(log with { Sequence = ++_logSequence });
            }

            while (_logs.Count > limits.MaxLogs)
            {
                _logs.Dequeue();
            }
        }
    }

    /// <summary>Keeps the points of the metrics the dashboard charts (see <see cref="TelemetryLimits.KeptMetricPrefix"/>).</summary>
    public void AddMetrics(IEnumerable<TelemetryMetricPoint> points)
    {
        var kept = points.Where(p => p.Name.StartsWith(limits.KeptMetricPrefix, StringComparison.Ordinal))
            .GroupBy(p => (p.Resource, p.Name));
        lock (_gate)
        {
            foreach (var series in kept)
            {
                if (!_metrics.TryGetValue(series.Key, out var samples))
                {
                    samples = new Queue<MetricSample>();
                    _metrics[series.Key] = samples;
                }

                var list = series.ToList();
                samples.Enqueue(new MetricSample(list.Max(p => p.Timestamp), list));
                while (samples.Count > limits.MaxSamplesPerMetric)
                {
                    samples.Dequeue();
                }
            }
        }
    }

    public const string DeploymentIdAttribute = "sdp.deployment.id";

    /// <summary>
    /// Newest first; optionally only traces that have a span from <paramref name="resource"/>, or a span tagged with
    /// deployment <paramref name="deploymentId"/>.
    /// </summary>
    public IReadOnlyList<TraceSummary> GetTraces(string? resource, string? deploymentId, int limit)
    {
        lock (_gate)
        {
            return _traces.Values
                .Where(spans => spans.Count > 0
                    && (resource is null || spans.Any(s => s.Resource == resource))
                    && (deploymentId is null || spans.Any(s => s.Attributes.GetValueOrDefault(DeploymentIdAttribute) == deploymentId)))
                .Select(TraceSummary.Of)
                .OrderByDescending(t => t.StartUnixNanos)
                .Take(limit)
                .ToList();
        }
    }

    /// <summary>The trace's spans ordered by start, or null when it is not (or no longer) kept.</summary>
    public IReadOnlyList<TelemetrySpan>? GetTrace(string traceId)
    {
        lock (_gate)
        {
            return _traces.TryGetValue(traceId, out var spans) ? [.. spans.OrderBy(s => s.StartUnixNanos)] : null;
        }
    }

    /// <summary>Oldest first, after sequence <paramref name="after"/>; the newest <paramref name="limit"/> of those.</summary>
    public IReadOnlyList<TelemetryLog> GetLogs(string? resource, string? minimumLevel, long after, int limit)
    {
        var minimum = LevelRank(minimumLevel);
        lock (_gate)
        {
            var matching = _logs.Where(l => l.Sequence > after
                && (resource is null || l.Resource == resource)
                && LevelRank(l.Level) >= minimum).ToList();
            return matching.Count > limit ? matching[^limit..] : matching;
        }
    }

    public IReadOnlyList<MetricSample> GetSamples(string name)
    {
        lock (_gate)
        {
            return [.. _metrics.Where(m => m.Key.Name == name).SelectMany(m => m.Value).OrderBy(s => s.Timestamp)];
        }
    }

    public IReadOnlyDictionary<string, IReadOnlyList<MetricSample>> GetSamplesByResource(string name)
    {
        lock (_gate)
        {
            return _metrics.Where(m => m.Key.Name == name)
                .ToDictionary(m => m.Key.Resource, m => (IReadOnlyList<MetricSample>)[.. m.Value], StringComparer.Ordinal);
        }
    }

    internal static int LevelRank(string? level) => level switch
    {
        "Trace" => 0,
        "Debug" => 1,
        null or "" or "Information" => 2,
        "Warning" => 3,
        "Error" => 4,
        "Critical" => 5,
        _ => 2,
    };
}

/// <summary>One export of one metric from one resource.</summary>
internal sealed record MetricSample(DateTimeOffset Timestamp, IReadOnlyList<TelemetryMetricPoint> Points);

/// <summary>A trace in the list: its root (or earliest) span's name and resource, when and how long, and its size.</summary>
internal sealed record TraceSummary(
    string TraceId,
    string Name,
    string Resource,
    long StartUnixNanos,
    double DurationMs,
    int SpanCount,
    IReadOnlyList<string> Resources,
    bool HasError)
{
    public static TraceSummary Of(List<TelemetrySpan> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var root = spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId))
            .MinBy(s => s.StartUnixNanos)!;
        var start = spans.Min(s => s.StartUnixNanos);
        var end = spans.Max(s => s.EndUnixNanos);
        return new TraceSummary(root.TraceId, root.Name, root.Resource, start, (end - start) / 1_000_000.0, spans.Count,
            [.. spans.Select(s => s.Resource).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            spans.Any(s => s.Status == SpanStatus.Error));
    }
}
