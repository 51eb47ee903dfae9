using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Simulator.CloudRun.Faults;
using Sdp.Provisioning.Tests.Infrastructure;
using Sdp.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>
/// The platform's own time per deployment on top of Cloud Run's: the Simulator holds every create operation for
/// <see cref="OperationDelayMs"/>, so what a deploy takes beyond that is ours (requests, pacing, polling). Prints
/// figures; asserts only that deploys succeed, since timing on a shared machine is no contract. A benchmark:
/// <c>SDP_BENCHMARKS=1 dotnet test tests/Simulator.Tests --filter DeployOverheadTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class DeployOverheadTests(SimulatorFactory simulator, ITestOutputHelper output)
    : IClassFixture<SimulatorFactory>, IDisposable
{
    private const int OperationDelayMs = 2000;
    private const int Deploys = 10;

    private FaultInjector Faults => simulator.Services.GetRequiredService<FaultInjector>();

    public static TheoryData<string, string, string, string> PollModes => new()
    {
        // Production defaults: polls after 1 s, 3 s, 7 s ... so a 2 s operation is seen at about 3 s.
        { "polling with production defaults", "00:00:01", "00:00:05", "false" },
        // Long-poll: the answer comes when the operation is done.
        { "operations:wait", "00:00:01", "00:00:05", "true" },
        { "fast polling (2 ms doubling to 200 ms)", "00:00:00.002", "00:00:00.200", "false" },
    };

    [BenchmarkTheory]
    [MemberData(nameof(PollModes))]
    public async Task Overhead_per_deployment_over_the_operation_time(string mode, string initialDelay, string maxDelay, string useWait)
    {
        await using var harness = new CloudRunTargetHarness(simulator, new Dictionary<string, string?>
        {
            ["CloudRun:PollInitialDelay"] = initialDelay,
            ["CloudRun:PollMaxDelay"] = maxDelay,
            ["CloudRun:UseOperationWait"] = useWait,
        });
        Faults.Set(new SimulatedFaults { OperationDelayMs = OperationDelayMs });

        // One deploy first so JIT and connection set-up are not counted.
        var warmUp = await harness.Target.DeployAsync(harness.Spec(1000), CancellationToken.None);
        await harness.Target.RemoveAsync(warmUp.ServiceId, CancellationToken.None);

        var overheads = new List<double>();
        for (var i = 1; i <= Deploys; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var deployed = await harness.Target.DeployAsync(harness.Spec(i), CancellationToken.None);
            overheads.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds - OperationDelayMs);
            Assert.True(await harness.Target.RemoveAsync(deployed.ServiceId, CancellationToken.None));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mode}: overhead per deploy over a {OperationDelayMs} ms operation, {Deploys} deploys: {Percentiles.Describe(overheads)}"));
        Assert.Empty(await harness.RemainingServicesAsync());
    }

    public void Dispose() => Faults.Clear();
}
