namespace Sdp.ScenarioRunner.Tests.TemplateRuns;

/// <summary>
/// A measurement over several cases, not a test: it prints figures and asserts no timing, so it is skipped unless
/// <c>SDP_BENCHMARKS=1</c>.
/// </summary>
public sealed class BenchmarkTheoryAttribute : TheoryAttribute
{
    public BenchmarkTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("SDP_BENCHMARKS") != "1")
        {
            Skip = "A benchmark: run with SDP_BENCHMARKS=1.";
        }
    }
}
