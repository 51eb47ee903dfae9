using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Provisioning.Tests.Infrastructure;

/// <summary>A measurement over several cases, not a test: see <see cref="BenchmarkSwitch"/>.</summary>
public sealed class BenchmarkTheoryAttribute : TheoryAttribute
{
    public BenchmarkTheoryAttribute() => Skip = BenchmarkSwitch.SkipReason;
}
