using System.Globalization;

namespace Sdp.Simulator.Tests.Infrastructure;

public static class Percentiles
{
    /// <summary>Nearest-rank percentile.</summary>
    public static double Of(IReadOnlyList<double> samples, double percentile)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Describe(IReadOnlyList<double> samples) => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Of(samples, 0.5):0.0} ms, p90 {Of(samples, 0.9):0.0} ms, max {samples.Max():0.0} ms, min {samples.Min():0.0} ms");
}
