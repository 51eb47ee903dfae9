namespace Sdp.Hosting.Telemetry;

/// <summary>
/// Turns kept metric samples into chart series: quantiles of a cumulative histogram over a sliding window (the
/// way Prometheus's <c>histogram_quantile(rate(...[window]))</c> does), and a gauge's value per label over time.
/// </summary>
internal static class MetricCharts
{
    /// <summary>Quantiles of the values recorded within <paramref name="window"/> before each point in time, every <paramref name="step"/>.</summary>
    public static IReadOnlyList<QuantilePoint> Quantiles(IReadOnlyDictionary<string, IReadOnlyList<MetricSample>> byResource,
        TimeSpan window, TimeSpan step)
    {
        var all = byResource.Values.SelectMany(s => s).ToList();
        if (all.Count == 0)
        {
            return [];
        }

        var first = all.Min(s => s.Timestamp);
        var last = all.Max(s => s.Timestamp);
        var points = new List<QuantilePoint>();
        for (var at = first; at <= last + step; at += step)
        {
            double[]? bounds = null;
            double[]? counts = null;
            foreach (var samples in byResource.Values)
            {
                var now = Merge(LatestAtOrBefore(samples, at));
                if (now is null)
                {
                    continue;
                }

                var before = Merge(LatestAtOrBefore(samples, at - window));
                bounds ??= now.Value.Bounds;
                counts ??= new double[now.Value.Counts.Length];
                if (!bounds.SequenceEqual(now.Value.Bounds))
                {
                    continue;
                }

                for (var i = 0; i < counts.Length; i++)
                {
                    // A restarted process starts again from zero: then its whole count is new.
                    var delta = now.Value.Counts[i] - (before?.Counts.ElementAtOrDefault(i) ?? 0);
                    counts[i] += delta >= 0 ? delta : now.Value.Counts[i];
                }
            }

            if (bounds is null || counts is null)
            {
                continue;
            }

            var total = counts.Sum();
            points.Add(new QuantilePoint(at, total,
                Quantile(0.50, bounds, counts), Quantile(0.95, bounds, counts), Quantile(0.99, bounds, counts)));
            if (at > last)
            {
                break;
            }
        }

        return points;
    }

    /// <summary>Each sample's value per <paramref name="label"/>, in time order.</summary>
    public static IReadOnlyList<GaugePoint> ByLabel(IReadOnlyList<MetricSample> samples, string label) =>
        [.. samples.Select(s => new GaugePoint(s.Timestamp, s.Points
            .GroupBy(p => p.Attributes.GetValueOrDefault(label, ""))
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value ?? 0), StringComparer.Ordinal)))];

    /// <summary>Linear interpolation within the bucket the quantile falls in, as Prometheus does; null without data.</summary>
    internal static double? Quantile(double q, IReadOnlyList<double> bounds, IReadOnlyList<double> counts)
    {
        var total = counts.Sum();
        if (total <= 0)
        {
            return null;
        }

        var rank = q * total;
        double seen = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (seen + counts[i] >= rank && counts[i] > 0)
            {
                var lower = i == 0 ? 0 : bounds[i - 1];
                if (i >= bounds.Count)
                {
                    // Above the highest bound: the best answer is that bound.
                    return bounds.Count > 0 ? bounds[^1] : null;
                }

                return lower + ((bounds[i] - lower) * ((rank - seen) / counts[i]));
            }

            seen += counts[i];
        }

        return bounds.Count > 0 ? bounds[^1] : null;
    }

    private static MetricSample? LatestAtOrBefore(IReadOnlyList<MetricSample> samples, DateTimeOffset at) =>
        samples.LastOrDefault(s => s.Timestamp <= at);

    /// <summary>One histogram from all of a sample's label sets.</summary>
    private static (double[] Bounds, double[] Counts)? Merge(MetricSample? sample)
    {
        var histograms = sample?.Points.Select(p => p.Histogram).OfType<HistogramValue>().ToList();
        if (histograms is not { Count: > 0 })
        {
            return null;
        }

        var bounds = histograms[0].Bounds.ToArray();
        var counts = new double[bounds.Length + 1];
        foreach (var histogram in histograms.Where(h => h.Bounds.SequenceEqual(bounds)))
        {
            for (var i = 0; i < counts.Length && i < histogram.Counts.Count; i++)
            {
                counts[i] += histogram.Counts[i];
            }
        }

        return (bounds, counts);
    }
}

internal sealed record QuantilePoint(DateTimeOffset Timestamp, double Count, double? P50, double? P95, double? P99);

internal sealed record GaugePoint(DateTimeOffset Timestamp, IReadOnlyDictionary<string, double> Values);
