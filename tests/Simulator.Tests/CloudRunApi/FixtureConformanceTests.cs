using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Simulator.Tests.CloudRunApi;

/// <summary>The Simulator's answers have the documented shapes under Fixtures/.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class FixtureConformanceTests(SimulatorFactory simulator)
{
    private readonly HttpClient api = simulator.CreateClient();

    [Fact]
    public async Task Create_get_list_and_wait_answers_match_the_fixtures()
    {
        var project = SimulatorFactory.NewProject();
        var body = DocumentedRequestWithUnreachableStores();

        using var created = await simulator.CreateServiceAsync(api, project, "sdp-sub-42", body);
        var running = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var done = await SimulatorFactory.WaitAsync(api, running["name"]!.GetValue<string>());
        var service = (await api.GetFromJsonAsync<JsonObject>($"/v2/{SimulatorFactory.Parent(project)}/services/sdp-sub-42"))!;
        var list = (await api.GetFromJsonAsync<JsonObject>($"/v2/{SimulatorFactory.Parent(project)}/services"))!;

        JsonShape.AssertConforms(Fixture.Object("operation-running.json"), running);
        JsonShape.AssertConforms(Fixture.Object("operation-done.json"), done);
        JsonShape.AssertConforms(Fixture.Object("service.json"), service);
        // A single page has no next page token.
        JsonShape.AssertConforms(Fixture.Object("list-services.json"), list, "$.nextPageToken");
    }

    [Fact]
    public async Task A_failed_operation_matches_the_fixture()
    {
        var project = SimulatorFactory.NewProject();
        using var created = await simulator.CreateServiceAsync(api, project, "sdp-sub-43",
            SimulatorFactory.ServiceBody(image: "sdp/no-such-image:latest"));
        var running = (await created.Content.ReadFromJsonAsync<JsonObject>())!;

        var failed = await SimulatorFactory.WaitAsync(api, running["name"]!.GetValue<string>());

        JsonShape.AssertConforms(Fixture.Object("operation-failed.json"), failed);
    }

    [Fact]
    public async Task The_invalid_argument_answer_matches_the_fixture()
    {
        using var response = await simulator.CreateServiceAsync(api, SimulatorFactory.NewProject(), "1-bad", SimulatorFactory.ServiceBody());

        JsonShape.AssertConforms(Fixture.Object("error-invalid-argument.json"), await response.Content.ReadFromJsonAsync<JsonObject>());
    }

    /// <summary>The documented create body, with connection strings that point nowhere (the app starts lazily).</summary>
    private static JsonObject DocumentedRequestWithUnreachableStores()
    {
        var body = Fixture.Object("create-service-request.json");
        var env = new JsonArray();
        foreach (var (name, value) in CandidateEnv.Unreachable(42))
        {
            env.Add(new JsonObject { ["name"] = name, ["value"] = value });
        }

        body["template"]!["containers"]![0]!["env"] = env;
        return body;
    }
}
