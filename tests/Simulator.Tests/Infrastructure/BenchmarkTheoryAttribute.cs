namespace Sdp.Simulator.Tests.Infrastructure;

/// <summary>
/// A measurement, not a test: it prints figures and asserts no timing, so it stays out of the ordinary test run
/// (reported as skipped) and runs only when asked for with <c>SDP_BENCHMARKS=1</c>.
/// </summary>
public sealed class BenchmarkTheoryAttribute : TheoryAttribute
{
    public const string Switch = "SDP_BENCHMARKS";

    public BenchmarkTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(Switch) != "1")
        {
            Skip = $"A benchmark: run with {Switch}=1.";
        }
    }
}
