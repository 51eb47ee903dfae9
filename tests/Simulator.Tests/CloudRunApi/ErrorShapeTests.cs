using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Simulator.Tests.CloudRunApi;

[Collection(SimulatorCollection.Name)]
public sealed class ErrorShapeTests(SimulatorFactory simulator)
{
    private readonly HttpClient api = simulator.CreateClient();

    [Theory]
    [InlineData("1abc")]
    [InlineData("-abc")]
    [InlineData("Abc")]
    [InlineData("abc-")]
    [InlineData("ab_c")]
    [InlineData("ab.c")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Invalid_service_ids_are_refused_with_INVALID_ARGUMENT(string serviceId)
    {
        using var response = await simulator.CreateServiceAsync(api, SimulatorFactory.NewProject(), serviceId, SimulatorFactory.ServiceBody());

        var error = await AssertGoogleErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        var detail = error["details"]![0]!;
        Assert.Equal("type.googleapis.com/google.rpc.BadRequest", detail["@type"]!.GetValue<string>());
        Assert.Equal("service_id", detail["fieldViolations"]![0]!["field"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("a")]
    [InlineData("sdp-sub-42")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Valid_service_ids_are_accepted(string serviceId)
    {
        using var response = await simulator.CreateServiceAsync(api, SimulatorFactory.NewProject(), serviceId, SimulatorFactory.ServiceBody());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_missing_service_id_is_refused()
    {
        using var response = await api.PostAsJsonAsync($"/v2/{SimulatorFactory.Parent(SimulatorFactory.NewProject())}/services",
            SimulatorFactory.ServiceBody());

        await AssertGoogleErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
    }

    [Fact]
    public async Task A_container_without_image_is_refused()
    {
        var body = SimulatorFactory.ServiceBody();
        body["template"]!["containers"]![0]!.AsObject().Remove("image");

        using var response = await simulator.CreateServiceAsync(api, SimulatorFactory.NewProject(), "no-image", body);

        var error = await AssertGoogleErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.Equal("service.template.containers[0].image", error["details"]![0]!["fieldViolations"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_service_without_template_is_refused()
    {
        using var response = await simulator.CreateServiceAsync(api, SimulatorFactory.NewProject(), "no-template",
            new JsonObject { ["labels"] = new JsonObject() });

        await AssertGoogleErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
    }

    [Fact]
    public async Task A_reserved_environment_variable_is_refused()
    {
        using var response = await simulator.CreateServiceAsync(api, SimulatorFactory.NewProject(), "reserved",
            SimulatorFactory.ServiceBody(extraEnv: ("PORT", "9000")));

        var error = await AssertGoogleErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.Contains("PORT", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_is_refused()
    {
        using var content = new StringContent("{\"template\": [", System.Text.Encoding.UTF8, "application/json");
        using var response = await api.PostAsync($"/v2/{SimulatorFactory.Parent(SimulatorFactory.NewProject())}/services?serviceId=broken", content);

        await AssertGoogleErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
    }

    [Fact]
    public async Task Creating_an_existing_service_is_ALREADY_EXISTS_in_the_documented_shape()
    {
        var project = SimulatorFactory.NewProject();
        using var first = await simulator.CreateServiceAsync(api, project, "twice", SimulatorFactory.ServiceBody());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await simulator.CreateServiceAsync(api, project, "twice", SimulatorFactory.ServiceBody());

        var error = await AssertGoogleErrorAsync(second, HttpStatusCode.Conflict, "ALREADY_EXISTS");
        JsonShape.AssertConforms(Fixture.Object("error-already-exists.json")["error"]!, error);
        Assert.Equal($"projects/{project}/locations/local/services/twice", error["details"]![0]!["resourceName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_service_is_NOT_FOUND_for_get_and_delete()
    {
        var parent = SimulatorFactory.Parent(SimulatorFactory.NewProject());

        using var get = await api.GetAsync($"/v2/{parent}/services/nobody");
        using var delete = await api.DeleteAsync($"/v2/{parent}/services/nobody");

        var error = await AssertGoogleErrorAsync(get, HttpStatusCode.NotFound, "NOT_FOUND");
        JsonShape.AssertConforms(Fixture.Object("error-not-found.json")["error"]!, error);
        await AssertGoogleErrorAsync(delete, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Unknown_operation_is_NOT_FOUND()
    {
        using var response = await api.GetAsync($"/v2/{SimulatorFactory.Parent(SimulatorFactory.NewProject())}/operations/{Guid.NewGuid()}");

        await AssertGoogleErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task A_bad_page_token_is_refused()
    {
        using var response = await api.GetAsync($"/v2/{SimulatorFactory.Parent(SimulatorFactory.NewProject())}/services?pageToken=%21%21");

        await AssertGoogleErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
    }

    /// <summary>Exactly <c>{"error": {code, message, status, details}}</c>; returns the inner object.</summary>
    private static async Task<JsonObject> AssertGoogleErrorAsync(HttpResponseMessage response, HttpStatusCode expected, string status)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["error"], body.Select(property => property.Key));
        var error = body["error"]!.AsObject();
        Assert.Equal(["code", "message", "status", "details"], error.Select(property => property.Key));
        Assert.Equal((int)expected, error["code"]!.GetValue<int>());
        Assert.Equal(status, error["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.StartsWith("type.googleapis.com/google.rpc.", error["details"]![0]!["@type"]!.GetValue<string>());
        return error;
    }
}
