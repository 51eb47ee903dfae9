using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Simulator.Tests.CloudRunApi;

/// <summary>PATCH on a service: field masks, generation and etag, allowMissing.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class ServiceUpdateTests(SimulatorFactory simulator)
{
    [Fact]
    public async Task Patching_labels_bumps_the_generation_and_etag_and_keeps_the_template()
    {
        using var client = simulator.CreateClient();
        var project = SimulatorFactory.NewProject();
        using var created = await simulator.CreateServiceAsync(client, project, "sdp-sub-1", SimulatorFactory.ServiceBody());
        await SimulatorFactory.WaitAsync(client, (await created.Content.ReadFromJsonAsync<JsonObject>())!["name"]!.GetValue<string>());
        var name = $"{SimulatorFactory.Parent(project)}/services/sdp-sub-1";
        var before = (await client.GetFromJsonAsync<JsonObject>($"/v2/{name}"))!;

        using var patched = await client.PatchAsJsonAsync($"/v2/{name}?updateMask=labels",
            new JsonObject { ["labels"] = new JsonObject { ["managed-by"] = "sdp", ["phase"] = "testing" }, ["template"] = new JsonObject() });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var operation = await SimulatorFactory.WaitAsync(client, (await patched.Content.ReadFromJsonAsync<JsonObject>())!["name"]!.GetValue<string>());

        var after = (await client.GetFromJsonAsync<JsonObject>($"/v2/{name}"))!;
        Assert.Equal("1", before["generation"]!.GetValue<string>());
        Assert.Equal("2", after["generation"]!.GetValue<string>());
        Assert.NotEqual(before["etag"]!.GetValue<string>(), after["etag"]!.GetValue<string>());
        Assert.Equal("testing", after["labels"]!["phase"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(before["template"], after["template"]));
        Assert.Equal("type.googleapis.com/google.cloud.run.v2.Service", operation["response"]!["@type"]!.GetValue<string>());
        await DeleteAsync(client, name);
    }

    [Fact]
    public async Task Patching_a_missing_service_is_not_found_unless_allowed()
    {
        using var client = simulator.CreateClient();
        var project = SimulatorFactory.NewProject();
        var name = $"{SimulatorFactory.Parent(project)}/services/sdp-sub-2";

        using var missing = await client.PatchAsJsonAsync($"/v2/{name}", SimulatorFactory.ServiceBody());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var created = await client.PatchAsJsonAsync($"/v2/{name}?allowMissing=true", SimulatorFactory.ServiceBody());
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        await SimulatorFactory.WaitAsync(client, (await created.Content.ReadFromJsonAsync<JsonObject>())!["name"]!.GetValue<string>());
        await DeleteAsync(client, name);
    }

    [Fact]
    public async Task An_unknown_mask_path_is_an_invalid_argument()
    {
        using var client = simulator.CreateClient();
        var project = SimulatorFactory.NewProject();
        using var created = await simulator.CreateServiceAsync(client, project, "sdp-sub-3", SimulatorFactory.ServiceBody());
        await SimulatorFactory.WaitAsync(client, (await created.Content.ReadFromJsonAsync<JsonObject>())!["name"]!.GetValue<string>());
        var name = $"{SimulatorFactory.Parent(project)}/services/sdp-sub-3";

        using var patched = await client.PatchAsJsonAsync($"/v2/{name}?updateMask=uid", new JsonObject());

        Assert.Equal(HttpStatusCode.BadRequest, patched.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", (await patched.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["status"]!.GetValue<string>());
        await DeleteAsync(client, name);
    }

    private static async Task DeleteAsync(HttpClient client, string name)
    {
        using var deleted = await client.DeleteAsync($"/v2/{name}");
        deleted.EnsureSuccessStatusCode();
        await SimulatorFactory.WaitAsync(client, (await deleted.Content.ReadFromJsonAsync<JsonObject>())!["name"]!.GetValue<string>());
    }
}
