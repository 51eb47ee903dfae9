using Sdp.Provisioning.Targets;
using Sdp.Provisioning.Tests.Infrastructure;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>Service ceilings: a full region refuses or makes the deploy wait, as configured; a pool of locations spreads deploys.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class CloudRunLocationPoolTests(SimulatorFactory simulator)
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

    [Fact]
    public async Task A_pool_of_locations_spreads_services_past_one_regions_ceiling_and_removal_finds_them()
    {
        var first = SimulatorFactory.NewProject();
        var second = SimulatorFactory.NewProject();
        await using var harness = new CloudRunTargetHarness(simulator, new Dictionary<string, string?>
        {
            ["CloudRun:WhenFull"] = "Refuse",
            ["CloudRun:MaxServicesPerRegion"] = "1",
            ["CloudRun:Locations:0:Project"] = first,
            ["CloudRun:Locations:0:Region"] = "europe-west1",
            ["CloudRun:Locations:1:Project"] = second,
            ["CloudRun:Locations:1:Region"] = "us-central1",
            ["CloudRun:Locations:1:MaxServices"] = "2",
        });

        var deployed = new List<DeployedService>();
        for (var id = 11; id <= 13; id++)
        {
            deployed.Add(await harness.Target.DeployAsync(harness.Spec(id), CancellationToken.None));
        }

        // Most room first: us-central1 (2 free) takes the first, then each has one slot left, then europe-west1's turn.
        Assert.Equal(["sdp-sub-11", "sdp-sub-13"], await ServicesIn(harness, $"projects/{second}/locations/us-central1"));
        Assert.Equal(["sdp-sub-12"], await ServicesIn(harness, $"projects/{first}/locations/europe-west1"));

        var refused = await Assert.ThrowsAsync<DeploymentTargetException>(() =>
            harness.Target.DeployAsync(harness.Spec(14), CancellationToken.None));
        Assert.Contains("limit of 3", refused.Message);

        foreach (var service in deployed)
        {
            Assert.True(await harness.Target.RemoveAsync(service.ServiceId, CancellationToken.None));
        }

        Assert.False(await harness.Target.RemoveAsync("sdp-sub-11", CancellationToken.None));
        Assert.Empty(await ServicesIn(harness, $"projects/{second}/locations/us-central1"));
        Assert.Empty(await ServicesIn(harness, $"projects/{first}/locations/europe-west1"));
        // Removal looked services up with reads; it deleted only where one existed.
        Assert.Equal(3, harness.Counter.Count(HttpMethod.Delete));
    }

    private static async Task<List<string>> ServicesIn(CloudRunTargetHarness harness, string parent)
    {
        var page = await harness.Client.ListServicesAsync(parent, 100, null, CancellationToken.None);
        return [.. page.Services.Select(s => s.Name![(s.Name!.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal)];
    }
}
