using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.Tests.Engine;

public sealed class LatencySamplesTests
{
    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        var samples = new LatencySamples();
        // Added out of order: the percentiles must not depend on arrival order.
        foreach (var value in Enumerable.Range(1, 100).Reverse())
        {
            samples.Add(value);
        }

        Assert.Equal([50, 95, 99, 100], samples.Percentiles(0.50, 0.95, 0.99, 1.0));
    }

    [Fact]
    public void A_single_sample_is_every_percentile_and_none_gives_zero()
    {
        var one = new LatencySamples();
        one.Add(12.5);

        Assert.Equal([12.5, 12.5], one.Percentiles(0.5, 0.99));
        Assert.Equal([0, 0], new LatencySamples().Percentiles(0.5, 0.99));
    }

    [Fact]
    public void A_few_slow_requests_show_in_p99_not_in_p50()
    {
        var samples = new LatencySamples();
        for (var i = 0; i < 980; i++)
        {
            samples.Add(10);
        }

        for (var i = 0; i < 20; i++)
        {
            samples.Add(900);
        }

        Assert.Equal([10, 10, 900], samples.Percentiles(0.50, 0.95, 0.99));
    }
}
