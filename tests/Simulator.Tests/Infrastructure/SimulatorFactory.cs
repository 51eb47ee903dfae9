using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Sdp.Simulator.Tests.Infrastructure;

/// <summary>
/// The Simulator in memory (its API through the test server); the services it starts listen on real
/// loopback ports. One per test collection: each test uses its own project, so tests do not see each other.
/// </summary>
public sealed class SimulatorFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public static string NewProject() => "test-" + Guid.NewGuid().ToString("N")[..12];

    public static string Parent(string project) => $"projects/{project}/locations/local";

    /// <summary>A Service body as the deployment target sends it, for the URL shortener with unreachable stores.</summary>
    public static JsonObject ServiceBody(string image = "sdp/url-shortener:latest", params (string Name, string Value)[] extraEnv)
    {
        var env = new JsonArray();
        foreach (var (name, value) in CandidateEnv.Unreachable(deploymentId: 7).Concat(extraEnv.Select(e => KeyValuePair.Create(e.Name, e.Value))))
        {
            env.Add(new JsonObject { ["name"] = name, ["value"] = value });
        }

        return new JsonObject
        {
            ["labels"] = new JsonObject { ["managed-by"] = "sdp" },
            ["template"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["image"] = image, ["env"] = env }),
            },
        };
    }

    public async Task<HttpResponseMessage> CreateServiceAsync(HttpClient client, string project, string serviceId, JsonNode body) =>
        await client.PostAsJsonAsync($"/v2/{Parent(project)}/services?serviceId={serviceId}", body);

    /// <summary>Waits for an operation with <c>:wait</c>.</summary>
    public static async Task<JsonObject> WaitAsync(HttpClient client, string operationName)
    {
        using var response = await client.PostAsJsonAsync($"/v2/{operationName}:wait", new JsonObject { ["timeout"] = "10s" });
        response.EnsureSuccessStatusCode();
        var operation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(operation["done"]!.GetValue<bool>(), $"operation not done: {operation}");
        return operation;
    }
}

[CollectionDefinition(Name)]
public sealed class SimulatorCollection : ICollectionFixture<SimulatorFactory>
{
    public const string Name = "Simulator";
}
