namespace Sdp.Testing;

/// <summary>
/// A measurement, not a test: it prints figures, asserts no timing, and runs only with <c>SDP_BENCHMARKS=1</c>
/// (otherwise it is reported as skipped).
/// </summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public const string Variable = "SDP_BENCHMARKS";

    public BenchmarkFactAttribute() =>
        Skip = Environment.GetEnvironmentVariable(Variable) == "1" ? null : $"A benchmark: run with {Variable}=1.";
}
