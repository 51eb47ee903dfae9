namespace Sdp.Simulator.Tests.Infrastructure;

/// <summary>
/// Measurements print figures and assert no timing, so they stay out of the ordinary test run (reported as
/// skipped) and run only when asked for with <c>SDP_BENCHMARKS=1</c>.
/// </summary>
internal static class BenchmarkSwitch
{
    public const string Variable = "SDP_BENCHMARKS";

    /// <summary>The skip reason, or null when benchmarks were asked for.</summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable(Variable) == "1" ? null : $"A benchmark: run with {Variable}=1.";
}
