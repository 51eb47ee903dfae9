namespace Sdp.Simulator.Tests.Infrastructure;

/// <summary>
/// A measurement, not a test: it prints figures and asserts no timing, so it stays out of the ordinary test run
/// (reported as skipped) and runs only when asked for with <c>SDP_BENCHMARKS=1</c>.
/// </summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(BenchmarkTheoryAttribute.Switch) != "1")
        {
            Skip = $"A benchmark: run with {BenchmarkTheoryAttribute.Switch}=1.";
        }
    }
}
