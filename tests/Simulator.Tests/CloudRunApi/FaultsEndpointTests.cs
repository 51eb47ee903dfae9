using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Simulator.Tests.CloudRunApi;

/// <summary><c>/simulator/faults</c> switches faults on and off at run time. A Simulator of its own: faults are global.</summary>
public sealed class FaultsEndpointTests(SimulatorFactory simulator) : IClassFixture<SimulatorFactory>
{
    [Fact]
    public async Task Posted_faults_are_injected_until_used_up_or_cleared()
    {
        using var client = simulator.CreateClient();
        var services = $"/v2/{SimulatorFactory.Parent(SimulatorFactory.NewProject())}/services";

        using var set = await client.PostAsJsonAsync("/simulator/faults", new JsonObject { ["status503Count"] = 1, ["status429Count"] = 5, ["retryAfterSeconds"] = 7 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        using var unavailable = await client.GetAsync(services);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("UNAVAILABLE", (await unavailable.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["status"]!.GetValue<string>());

        using var exhausted = await client.GetAsync(services);
        Assert.Equal(HttpStatusCode.TooManyRequests, exhausted.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), exhausted.Headers.RetryAfter!.Delta);

        using var cleared = await client.DeleteAsync("/simulator/faults");
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        using var answered = await client.GetAsync(services);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task Negative_values_are_refused()
    {
        using var client = simulator.CreateClient();

        using var set = await client.PostAsJsonAsync("/simulator/faults", new JsonObject { ["status503Count"] = -1 });

        Assert.Equal(HttpStatusCode.BadRequest, set.StatusCode);
    }
}
