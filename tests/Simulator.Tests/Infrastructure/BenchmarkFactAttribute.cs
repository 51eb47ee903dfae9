namespace Sdp.Simulator.Tests.Infrastructure;

/// <summary>A measurement, not a test: see <see cref="BenchmarkSwitch"/>.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute() => Skip = BenchmarkSwitch.SkipReason;
}
