using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Simulator.CloudRun.Services;

namespace Sdp.Simulator.Tests.Infrastructure;

/// <summary>
/// One run of a Simulator that keeps its services in <paramref name="stateDirectory"/>: started when made, stopped
/// completely (every hosted app with it) when disposed, so the next run on the same folder is a restart.
/// </summary>
/// <param name="configureServices">Applied after the Simulator's own registrations, e.g. a fake clock.</param>
/// <param name="restorePortWait">How long a restored service waits for its old port; the Simulator's default when null.</param>
public sealed class SimulatorRun(string stateDirectory, Action<IServiceCollection>? configureServices = null,
    TimeSpan? restorePortWait = null) : IAsyncDisposable
{
    private readonly SimulatorFactory root = new();
    private WebApplicationFactory<Program>? factory;
    private HttpClient? api;

    public WebApplicationFactory<Program> Factory => factory ??= root.WithWebHostBuilder(builder =>
    {
        builder.UseSetting("CloudRunSimulator:StateDirectory", stateDirectory);
        if (restorePortWait is { } wait)
        {
            builder.UseSetting("CloudRunSimulator:RestorePortWait", wait.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    });

    /// <summary>The Simulator's API; the first use starts the Simulator.</summary>
    public HttpClient Api => api ??= Factory.CreateClient();

    public static string ServiceName(string project, string serviceId) => $"{SimulatorFactory.Parent(project)}/services/{serviceId}";

    /// <summary>Creates a service and waits for its operation; the finished service.</summary>
    public async Task<JsonObject> CreateAsync(string project, string serviceId)
    {
        using var response = await PostServiceAsync(project, serviceId, SimulatorFactory.ServiceBody());
        response.EnsureSuccessStatusCode();
        return await FinishAsync(response);
    }

    /// <summary>Sends the create request; the answer holds the operation, not waited for.</summary>
    public Task<HttpResponseMessage> PostServiceAsync(string project, string serviceId, JsonNode body) =>
        root.CreateServiceAsync(Api, project, serviceId, body);

    public async Task<JsonObject> GetAsync(string project, string serviceId) =>
        (await Api.GetFromJsonAsync<JsonObject>($"/v2/{ServiceName(project, serviceId)}"))!;

    /// <summary>Waits for the service's current start attempt to be over (it listens, or it failed).</summary>
    public Task StartedAsync(string project, string serviceId) =>
        Factory.Services.GetRequiredService<ServiceRegistry>().Find(ServiceName(project, serviceId))!
            .StartupFinished.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>The response of the operation <paramref name="response"/> started, once it is done.</summary>
    public async Task<JsonObject> FinishAsync(HttpResponseMessage response)
    {
        var operation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var done = await SimulatorFactory.WaitAsync(Api, operation["name"]!.GetValue<string>());
        Assert.Null(done["error"]);
        return done["response"]!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        api?.Dispose();
        // Disposes the derived factory too: its host stops, and with it every app it hosted.
        await root.DisposeAsync();
    }
}
