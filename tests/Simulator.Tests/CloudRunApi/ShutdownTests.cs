using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Simulator.Tests.CloudRunApi;

/// <summary>
/// Runs alone: it checks that freed loopback ports no longer answer, and a Simulator of another test running in
/// parallel could start an app on a port just freed.
/// </summary>
[Collection(Name)]
public sealed class ShutdownTests
{
    public const string Name = "Shutdown";

    [Fact]
    public async Task Stopping_the_simulator_stops_every_hosted_app()
    {
        var project = SimulatorFactory.NewProject();
        var urls = new List<Uri>();
        var simulator = new SimulatorFactory();
        using (var api = simulator.CreateClient())
        {
            foreach (var id in new[] { "first", "second" })
            {
                using var created = await simulator.CreateServiceAsync(api, project, id, SimulatorFactory.ServiceBody());
                var operation = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
                var done = await SimulatorFactory.WaitAsync(api, operation["name"]!.GetValue<string>());
                urls.Add(new Uri(done["response"]!["uri"]!.GetValue<string>()));
            }
        }

        await simulator.DisposeAsync();

        using var http = new HttpClient();
        foreach (var url in urls)
        {
            HttpResponseMessage answer;
            try
            {
                answer = await http.GetAsync(new Uri(url, "/alive"));
            }
            catch (HttpRequestException)
            {
                continue;
            }

            // Seen rarely and not yet explained: say what answered, so the next failure tells whether it was the
            // app itself or another listener that took the freed port.
            using (answer)
            {
                Assert.Fail($"{url} still answered after the Simulator stopped: {(int)answer.StatusCode} "
                    + $"{answer.Headers} {answer.Content.Headers} {await answer.Content.ReadAsStringAsync()}");
            }
        }
    }
}

[CollectionDefinition(ShutdownTests.Name, DisableParallelization = true)]
public sealed class ShutdownCollection;
