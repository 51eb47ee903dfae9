namespace Sdp.ScenarioRunner.Engine;

/// <summary>
/// Every answered request's latency in milliseconds. A run holds at most 500 rps × 60 s = 30,000 samples, so keeping
/// them all and sorting once is cheaper and exact compared with a histogram.
/// </summary>
public sealed class LatencySamples
{
    private readonly Lock gate = new();
    private readonly List<double> samples = [];

    public int Count
    {
        get
        {
            lock (gate)
            {
                return samples.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (gate)
        {
            samples.Add(milliseconds);
        }
    }

    /// <summary>Nearest-rank percentiles (0 &lt; p ≤ 1) of the samples so far, in the order asked; zeros when there are none.</summary>
    public double[] Percentiles(params double[] percentiles)
    {
        double[] sorted;
        lock (gate)
        {
            sorted = [.. samples];
        }

        Array.Sort(sorted);
        return [.. percentiles.Select(p => Percentile(sorted, p))];
    }

    /// <summary>Nearest rank: the smallest sample with at least p of all samples at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 1);
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percentile * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
