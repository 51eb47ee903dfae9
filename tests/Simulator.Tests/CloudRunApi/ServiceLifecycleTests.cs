using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Simulator.Tests.CloudRunApi;

[Collection(SimulatorCollection.Name)]
public sealed class ServiceLifecycleTests(SimulatorFactory simulator)
{
    private const string ServiceType = "type.googleapis.com/google.cloud.run.v2.Service";
    private readonly HttpClient api = simulator.CreateClient();

    [Fact]
    public async Task Create_answers_a_running_operation_that_finishes_with_the_service()
    {
        var project = SimulatorFactory.NewProject();

        using var response = await simulator.CreateServiceAsync(api, project, "shortener", SimulatorFactory.ServiceBody());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var operation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.StartsWith($"projects/{project}/locations/local/operations/", operation["name"]!.GetValue<string>());
        Assert.False(operation["done"]!.GetValue<bool>());
        Assert.Equal(ServiceType, operation["metadata"]!["@type"]!.GetValue<string>());
        Assert.Null(operation["response"]);
        Assert.Null(operation["error"]);

        var done = await SimulatorFactory.WaitAsync(api, operation["name"]!.GetValue<string>());
        var service = done["response"]!;
        Assert.Equal(ServiceType, service["@type"]!.GetValue<string>());
        Assert.Equal($"projects/{project}/locations/local/services/shortener", service["name"]!.GetValue<string>());
        Assert.Equal("CONDITION_SUCCEEDED", service["terminalCondition"]!["state"]!.GetValue<string>());
        Assert.False(service["reconciling"]!.GetValue<bool>());
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", service["uri"]!.GetValue<string>());
        Assert.Null(done["error"]);
    }

    [Fact]
    public async Task Get_returns_output_only_fields_in_googles_json_mapping()
    {
        var project = SimulatorFactory.NewProject();
        var created = await CreateAndWaitAsync(project, "reader");

        var service = (await api.GetFromJsonAsync<JsonObject>($"/v2/{SimulatorFactory.Parent(project)}/services/reader"))!;

        Assert.Equal($"projects/{project}/locations/local/services/reader", service["name"]!.GetValue<string>());
        Assert.True(Guid.TryParse(service["uid"]!.GetValue<string>(), out _));
        // int64 fields are JSON strings.
        Assert.Equal("1", service["generation"]!.GetValue<string>());
        Assert.Equal("1", service["observedGeneration"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", service["createTime"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", service["updateTime"]!.GetValue<string>());
        Assert.Equal("sdp", service["labels"]!["managed-by"]!.GetValue<string>());
        Assert.Equal("sdp/url-shortener:latest", service["template"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("Ready", service["terminalCondition"]!["type"]!.GetValue<string>());
        Assert.Equal("CONDITION_SUCCEEDED", service["terminalCondition"]!["state"]!.GetValue<string>());
        Assert.NotEmpty(service["conditions"]!.AsArray());
        Assert.False(service["reconciling"]!.GetValue<bool>());
        var uri = service["uri"]!.GetValue<string>();
        Assert.Equal(created["uri"]!.GetValue<string>(), uri);
        Assert.Equal(uri, service["urls"]![0]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(service["etag"]!.GetValue<string>()));
        Assert.StartsWith($"projects/{project}/locations/local/services/reader/revisions/reader-00001-",
            service["latestReadyRevision"]!.GetValue<string>());
        Assert.Equal("INGRESS_TRAFFIC_ALL", service["ingress"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_service_uri_answers_http()
    {
        var project = SimulatorFactory.NewProject();
        var service = await CreateAndWaitAsync(project, "answers");
        using var candidate = new HttpClient { BaseAddress = new Uri(service["uri"]!.GetValue<string>()) };

        using var alive = await candidate.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task List_pages_through_the_services_of_one_location()
    {
        var project = SimulatorFactory.NewProject();
        foreach (var id in new[] { "svc-c", "svc-a", "svc-b" })
        {
            await CreateAndWaitAsync(project, id);
        }

        var first = (await api.GetFromJsonAsync<JsonObject>($"/v2/{SimulatorFactory.Parent(project)}/services?pageSize=2"))!;
        var token = first["nextPageToken"]!.GetValue<string>();
        var second = (await api.GetFromJsonAsync<JsonObject>(
            $"/v2/{SimulatorFactory.Parent(project)}/services?pageSize=2&pageToken={Uri.EscapeDataString(token)}"))!;

        Assert.Equal(["svc-a", "svc-b"], Ids(first));
        Assert.Equal(["svc-c"], Ids(second));
        Assert.Null(second["nextPageToken"]);
        var otherLocation = (await api.GetFromJsonAsync<JsonObject>($"/v2/projects/{project}/locations/elsewhere/services"))!;
        Assert.Empty(otherLocation["services"]!.AsArray());
    }

    [Fact]
    public async Task Delete_stops_the_app_and_forgets_the_service()
    {
        var project = SimulatorFactory.NewProject();
        var service = await CreateAndWaitAsync(project, "doomed");
        var uri = new Uri(service["uri"]!.GetValue<string>());

        using var response = await api.DeleteAsync($"/v2/{SimulatorFactory.Parent(project)}/services/doomed");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var operation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var done = await SimulatorFactory.WaitAsync(api, operation["name"]!.GetValue<string>());

        Assert.Equal("type.googleapis.com/google.cloud.run.v2.Service", done["response"]!["@type"]!.GetValue<string>());
        Assert.NotNull(done["response"]!["deleteTime"]);
        using var get = await api.GetAsync($"/v2/{SimulatorFactory.Parent(project)}/services/doomed");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var candidate = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => candidate.GetAsync(new Uri(uri, "/alive")));
        using var again = await api.DeleteAsync($"/v2/{SimulatorFactory.Parent(project)}/services/doomed");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task An_unknown_image_fails_the_operation_and_leaves_a_failed_service()
    {
        var project = SimulatorFactory.NewProject();
        using var response = await simulator.CreateServiceAsync(api, project, "ghost",
            SimulatorFactory.ServiceBody(image: "europe-docker.pkg.dev/p/sdp/no-such-image:1"));
        var operation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        var done = await SimulatorFactory.WaitAsync(api, operation["name"]!.GetValue<string>());

        Assert.Null(done["response"]);
        Assert.Equal(5, done["error"]!["code"]!.GetValue<int>());
        Assert.Contains("'europe-docker.pkg.dev/p/sdp/no-such-image:1' not found", done["error"]!["message"]!.GetValue<string>());
        var service = (await api.GetFromJsonAsync<JsonObject>($"/v2/{SimulatorFactory.Parent(project)}/services/ghost"))!;
        Assert.Equal("CONDITION_FAILED", service["terminalCondition"]!["state"]!.GetValue<string>());
        Assert.Equal("CONTAINER_MISSING", service["terminalCondition"]!["reason"]!.GetValue<string>());
        Assert.False(service["reconciling"]!.GetValue<bool>());
        Assert.Null(service["uri"]);
    }

    [Fact]
    public async Task A_template_that_refuses_its_environment_fails_with_the_reason()
    {
        var project = SimulatorFactory.NewProject();
        var body = SimulatorFactory.ServiceBody();
        var env = body["template"]!["containers"]![0]!["env"]!.AsArray();
        env.Remove(env.First(variable => variable!["name"]!.GetValue<string>() == "REDIS_KEY_PREFIX"));
        using var response = await simulator.CreateServiceAsync(api, project, "misconfigured", body);
        var operation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        var done = await SimulatorFactory.WaitAsync(api, operation["name"]!.GetValue<string>());

        Assert.Equal(9, done["error"]!["code"]!.GetValue<int>());
        Assert.Contains("REDIS_KEY_PREFIX", done["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Enums_are_numbers_when_the_client_asks_for_int_encoding()
    {
        var project = SimulatorFactory.NewProject();
        await CreateAndWaitAsync(project, "numeric");

        var service = (await api.GetFromJsonAsync<JsonObject>(
            $"/v2/{SimulatorFactory.Parent(project)}/services/numeric?%24alt=json%3Benum-encoding%3Dint"))!;

        Assert.Equal(4, service["terminalCondition"]!["state"]!.GetValue<int>());
        Assert.Equal(1, service["ingress"]!.GetValue<int>());
    }

    [Fact]
    public async Task Get_operation_answers_the_finished_operation()
    {
        var project = SimulatorFactory.NewProject();
        using var response = await simulator.CreateServiceAsync(api, project, "polled", SimulatorFactory.ServiceBody());
        var name = (await response.Content.ReadFromJsonAsync<JsonObject>())!["name"]!.GetValue<string>();
        await SimulatorFactory.WaitAsync(api, name);

        var operation = (await api.GetFromJsonAsync<JsonObject>($"/v2/{name}"))!;

        Assert.Equal(name, operation["name"]!.GetValue<string>());
        Assert.True(operation["done"]!.GetValue<bool>());
        Assert.NotNull(operation["response"]);
    }

    private async Task<JsonObject> CreateAndWaitAsync(string project, string serviceId)
    {
        using var response = await simulator.CreateServiceAsync(api, project, serviceId, SimulatorFactory.ServiceBody());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var operation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var done = await SimulatorFactory.WaitAsync(api, operation["name"]!.GetValue<string>());
        return done["response"]!.AsObject();
    }

    private static string[] Ids(JsonObject page) =>
        [.. page["services"]!.AsArray().Select(service => service!["name"]!.GetValue<string>().Split('/')[^1])];
}
