using Sdp.Provisioning.Targets;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Simulator.Tests.CloudRunTarget;

/// <summary>A region's service ceiling: a full region refuses or makes the deploy wait, as configured.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class RegionServiceCeilingTests(SimulatorFactory simulator)
{
    [Fact]
    public async Task A_full_region_refuses_with_a_clear_reason()
    {
        await using var harness = new CloudRunTargetHarness(simulator, new Dictionary<string, string?>
        {
            ["CloudRun:MaxServicesPerRegion"] = "1",
            ["CloudRun:WhenFull"] = "Refuse",
        });
        var first = await harness.Target.DeployAsync(harness.Spec(1), CancellationToken.None);

        var exception = await Assert.ThrowsAsync<DeploymentTargetException>(() =>
            harness.Target.DeployAsync(harness.Spec(2), CancellationToken.None));

        Assert.Contains("limit of 1", exception.Message);
        Assert.Contains("sdp-sub-2", exception.Message);
        Assert.Equal(1, harness.Counter.Creates);
        Assert.True(await harness.Target.RemoveAsync(first.ServiceId, CancellationToken.None));
        Assert.Empty(await harness.RemainingServicesAsync());
    }

    [Fact]
    public async Task A_full_region_makes_the_deploy_wait_until_a_slot_is_free()
    {
        await using var harness = new CloudRunTargetHarness(simulator, new Dictionary<string, string?>
        {
            ["CloudRun:MaxServicesPerRegion"] = "1",
            ["CloudRun:WhenFull"] = "Wait",
            ["CloudRun:ServiceCountRefreshInterval"] = "00:00:00.050",
        });
        var first = await harness.Target.DeployAsync(harness.Spec(3), CancellationToken.None);

        var waiting = harness.Target.DeployAsync(harness.Spec(4), CancellationToken.None);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, harness.Counter.Creates);

        Assert.True(await harness.Target.RemoveAsync(first.ServiceId, CancellationToken.None));
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(await harness.Target.RemoveAsync(second.ServiceId, CancellationToken.None));
        Assert.Empty(await harness.RemainingServicesAsync());
    }
}
