using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Simulator.Tests.CloudRunApi;

/// <summary>
/// Runs alone, so no other Simulator of this process starts an app meanwhile. Whether an app still listens is read
/// from this process's own sockets: a connection to a freed port can be answered by an app of another test
/// process that has bound it since (seen in CI: a foreign app, shutting down, answered "Healthy").
/// </summary>
[Collection(Name)]
public sealed class ShutdownTests
{
    public const string Name = "Shutdown";

    [Fact]
    public async Task Stopping_the_simulator_stops_every_hosted_app()
    {
        var project = SimulatorFactory.NewProject();
        var ports = new List<int>();
        var simulator = new SimulatorFactory();
        using (var api = simulator.CreateClient())
        {
            foreach (var id in new[] { "first", "second" })
            {
                using var created = await simulator.CreateServiceAsync(api, project, id, SimulatorFactory.ServiceBody());
                var operation = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
                var done = await SimulatorFactory.WaitAsync(api, operation["name"]!.GetValue<string>());
                ports.Add(new Uri(done["response"]!["uri"]!.GetValue<string>()).Port);
            }
        }

        // The check sees the apps while they run, so it can fail.
        Assert.Superset(ports.ToHashSet(), ProcessListeners.Ports());

        await simulator.DisposeAsync();

        Assert.Empty(ProcessListeners.Ports().Intersect(ports));
    }
}

[CollectionDefinition(ShutdownTests.Name, DisableParallelization = true)]
public sealed class ShutdownCollection;
