using Sdp.Hosting.Telemetry;

namespace Sdp.Observability.Tests.Collector;

public sealed class MetricChartsTests
{
    private static readonly double[] Bounds = [0.1, 0.5, 1, 5];

    [Fact]
    public void Quantiles_interpolate_within_the_bucket_they_fall_in_as_prometheus_does()
    {
        // 10 values in (0.1, 0.5], 10 in (1, 5].
        double[] counts = [0, 10, 0, 10, 0];

        Assert.Equal(0.5, MetricCharts.Quantile(0.50, Bounds, counts)!.Value, 6);
        Assert.Equal(1 + (4 * 0.9), MetricCharts.Quantile(0.95, Bounds, counts)!.Value, 6);
        Assert.Null(MetricCharts.Quantile(0.5, Bounds, [0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Quantiles_over_time_count_only_what_was_recorded_within_the_window()
    {
        var start = DateTimeOffset.UnixEpoch.AddYears(56);
        MetricSample Sample(int seconds, params ulong[] counts) => new(start.AddSeconds(seconds),
            [new TelemetryMetricPoint("provisioner-worker", "sdp.deployment.duration", start.AddSeconds(seconds),
                new Dictionary<string, string>(), null, new HistogramValue(Bounds, counts, (ulong)counts.Sum(c => (long)c), 0))]);

        // Cumulative: 4 fast deployments in the first 10 s, then 4 slow ones by 70 s.
        var samples = new Dictionary<string, IReadOnlyList<MetricSample>>
        {
            ["provisioner-worker"] = [Sample(0, 0, 0, 0, 0, 0), Sample(10, 4, 0, 0, 0, 0), Sample(70, 4, 0, 0, 4, 0)],
        };

        var points = MetricCharts.Quantiles(samples, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));

        var early = points.Single(p => p.Timestamp == start.AddSeconds(10));
        Assert.Equal(4, early.Count);
        Assert.True(early.P99 <= 0.1);
        var late = points.Single(p => p.Timestamp == start.AddSeconds(70));
        Assert.Equal(4, late.Count); // the fast ones fell out of the 30 s window
        Assert.True(late.P50 > 1);
    }
}
