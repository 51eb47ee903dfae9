using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sdp.Simulator.CloudRun;
using Sdp.Simulator.CloudRun.Faults;
using Sdp.Simulator.CloudRun.Services;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Simulator.Tests.CloudRunApi;

/// <summary>
/// A Simulator with a state folder keeps its services across a restart, as Cloud Run does. Each test stops a first
/// Simulator completely and starts a second on the same folder. Runs alone: a freed port must not be handed to an app
/// of another test before the second Simulator asks for it back.
/// </summary>
[Collection(Name)]
public sealed class ServiceRestartTests : IDisposable
{
    public const string Name = "Restart";

    // CloudRunSimulator:ServicePortsFrom and ServicePortsTo as the Simulator ships.
    private const int DefaultPortsFrom = 20000;
    private const int DefaultPortsTo = 29999;

    private readonly string stateDirectory = Path.Combine(Path.GetTempPath(), "sdp-simulator-state-" + Guid.NewGuid().ToString("N"));
    private readonly string project = SimulatorFactory.NewProject();

    [Fact]
    public async Task A_service_comes_back_after_a_restart_at_the_same_url_with_its_uid_generation_and_labels()
    {
        JsonObject before;
        await using (var first = new SimulatorRun(stateDirectory))
        {
            await first.CreateAsync(project, "kept");
            before = await first.GetAsync(project, "kept");
        }

        // Free again, as after a process restart; then let go, for the second Simulator to take back.
        (await ListenWhenFreeAsync(new Uri(before["uri"]!.GetValue<string>()).Port)).Dispose();
        await using var second = new SimulatorRun(stateDirectory);
        await second.StartedAsync(project, "kept");
        var after = await second.GetAsync(project, "kept");

        Assert.Equal(before["uid"]!.GetValue<string>(), after["uid"]!.GetValue<string>());
        Assert.Equal("1", after["generation"]!.GetValue<string>());
        Assert.Equal("sdp", after["labels"]!["managed-by"]!.GetValue<string>());
        Assert.Equal(before["createTime"]!.GetValue<string>(), after["createTime"]!.GetValue<string>());
        Assert.Equal(before["etag"]!.GetValue<string>(), after["etag"]!.GetValue<string>());
        Assert.Equal(before["latestReadyRevision"]!.GetValue<string>(), after["latestReadyRevision"]!.GetValue<string>());
        Assert.Equal("CONDITION_SUCCEEDED", after["terminalCondition"]!["state"]!.GetValue<string>());
        Assert.Equal(before["uri"]!.GetValue<string>(), after["uri"]!.GetValue<string>());
        var listed = (await second.Api.GetFromJsonAsync<JsonObject>($"/v2/{SimulatorFactory.Parent(project)}/services"))!;
        Assert.Equal([SimulatorRun.ServiceName(project, "kept")],
            listed["services"]!.AsArray().Select(service => service!["name"]!.GetValue<string>()));
        using var candidate = new HttpClient();
        using var alive = await candidate.GetAsync(new Uri(new Uri(after["uri"]!.GetValue<string>()), "/alive"));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task A_service_deleted_before_the_restart_stays_gone_and_an_updated_one_comes_back_updated()
    {
        await using (var first = new SimulatorRun(stateDirectory))
        {
            await first.CreateAsync(project, "doomed");
            await first.CreateAsync(project, "changed");
            using var deleted = await first.Api.DeleteAsync($"/v2/{SimulatorRun.ServiceName(project, "doomed")}");
            await first.FinishAsync(deleted);
            using var patched = await first.Api.PatchAsJsonAsync($"/v2/{SimulatorRun.ServiceName(project, "changed")}?updateMask=labels",
                new JsonObject { ["labels"] = new JsonObject { ["managed-by"] = "sdp", ["phase"] = "updated" } });
            await first.FinishAsync(patched);
        }

        await using var second = new SimulatorRun(stateDirectory);
        using var gone = await second.Api.GetAsync($"/v2/{SimulatorRun.ServiceName(project, "doomed")}");
        var changed = await second.GetAsync(project, "changed");

        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("2", changed["generation"]!.GetValue<string>());
        Assert.Equal("updated", changed["labels"]!["phase"]!.GetValue<string>());
        Assert.Single(Directory.GetFiles(stateDirectory));
    }

    [Fact]
    public async Task A_service_whose_port_is_taken_at_the_restart_comes_back_on_another_port_of_the_simulators_range()
    {
        int oldPort;
        await using (var first = new SimulatorRun(stateDirectory))
        {
            oldPort = new Uri((await first.CreateAsync(project, "moved"))["uri"]!.GetValue<string>()).Port;
        }

        // Outside the kernel's ephemeral range, so only something listening on purpose (as here) can take it.
        Assert.InRange(oldPort, DefaultPortsFrom, DefaultPortsTo);

        using var squatter = await ListenWhenFreeAsync(oldPort);
        await using var second = new SimulatorRun(stateDirectory, restorePortWait: TimeSpan.FromSeconds(1));
        await second.StartedAsync(project, "moved");
        var service = await second.GetAsync(project, "moved");

        Assert.Equal("CONDITION_SUCCEEDED", service["terminalCondition"]!["state"]!.GetValue<string>());
        var uri = new Uri(service["uri"]!.GetValue<string>());
        Assert.NotEqual(oldPort, uri.Port);
        Assert.InRange(uri.Port, DefaultPortsFrom, DefaultPortsTo);
        using var candidate = new HttpClient();
        using var alive = await candidate.GetAsync(new Uri(uri, "/alive"));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        // The new port is kept, so the next restart gives it this URL.
        Assert.Equal(uri.Port, Assert.Single(await LoadAsync()).Port);
    }

    [Fact]
    public async Task A_service_whose_port_is_freed_while_it_waits_comes_back_at_the_same_url()
    {
        int oldPort;
        await using (var first = new SimulatorRun(stateDirectory))
        {
            oldPort = new Uri((await first.CreateAsync(project, "waited"))["uri"]!.GetValue<string>()).Port;
        }

        // What a Simulator that is still stopping its apps looks like to the one replacing it: the port is held a while.
        var squatter = await ListenWhenFreeAsync(oldPort);
        await using var second = new SimulatorRun(stateDirectory);
        var reconciling = await second.GetAsync(project, "waited");
        Assert.Null(reconciling["uri"]);
        squatter.Dispose();
        await second.StartedAsync(project, "waited");

        var uri = new Uri((await second.GetAsync(project, "waited"))["uri"]!.GetValue<string>());
        Assert.Equal(oldPort, uri.Port);
        using var candidate = new HttpClient();
        using var alive = await candidate.GetAsync(new Uri(uri, "/alive"));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task A_restoring_service_is_reconciling_until_its_app_listens_and_health_answers_meanwhile()
    {
        await using (var first = new SimulatorRun(stateDirectory))
        {
            await first.CreateAsync(project, "slow");
        }

        // The restart is held by the injected operation delay, on a clock that moves only when the test moves it.
        var delay = TimeSpan.FromMinutes(5);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var faults = new FaultInjector();
        faults.Set(new SimulatedFaults { OperationDelayMs = (int)delay.TotalMilliseconds });
        await using var second = new SimulatorRun(stateDirectory, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton(faults);
        });

        using var health = await second.Api.GetAsync("/health");
        var restoring = await second.GetAsync(project, "slow");
        var listed = (await second.Api.GetFromJsonAsync<JsonObject>($"/v2/{SimulatorFactory.Parent(project)}/services"))!;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(restoring["reconciling"]!.GetValue<bool>());
        Assert.Equal("CONDITION_RECONCILING", restoring["terminalCondition"]!["state"]!.GetValue<string>());
        Assert.Null(restoring["uri"]);
        Assert.Null(restoring["latestReadyRevision"]);
        Assert.True(listed["services"]![0]!["reconciling"]!.GetValue<bool>());

        // The delay's timer may not be set yet when the clock first moves; moving it again then lets it fire.
        var started = second.StartedAsync(project, "slow");
        while (!started.IsCompleted)
        {
            clock.Advance(delay);
            await Task.WhenAny(started, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }

        await started;
        var ready = await second.GetAsync(project, "slow");
        Assert.False(ready["reconciling"]!.GetValue<bool>());
        Assert.Equal("CONDITION_SUCCEEDED", ready["terminalCondition"]!["state"]!.GetValue<string>());
        Assert.NotNull(ready["uri"]);
    }

    [Fact]
    public async Task A_restored_service_whose_image_is_unknown_is_failed_as_a_fresh_create_would_be()
    {
        await using (var first = new SimulatorRun(stateDirectory))
        {
            using var response = await first.PostServiceAsync(project, "ghost",
                SimulatorFactory.ServiceBody(image: "europe-docker.pkg.dev/p/sdp/no-such-image:1"));
            var operation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            await SimulatorFactory.WaitAsync(first.Api, operation["name"]!.GetValue<string>());
        }

        await using var second = new SimulatorRun(stateDirectory);
        await second.StartedAsync(project, "ghost");
        var service = await second.GetAsync(project, "ghost");

        Assert.Equal("CONDITION_FAILED", service["terminalCondition"]!["state"]!.GetValue<string>());
        Assert.Equal("CONTAINER_MISSING", service["terminalCondition"]!["reason"]!.GetValue<string>());
        Assert.False(service["reconciling"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_create_reported_done_is_already_in_the_state_folder_with_its_port()
    {
        await using var running = new SimulatorRun(stateDirectory);

        var created = await running.CreateAsync(project, "durable");

        // Read as the next start would, while the Simulator still runs: what a kill at this moment would leave.
        var stored = Assert.Single(await LoadAsync());
        Assert.Equal(created["uid"]!.GetValue<string>(), stored.Uid);
        Assert.Equal(new Uri(created["uri"]!.GetValue<string>()).Port, stored.Port);
    }

    public void Dispose()
    {
        if (Directory.Exists(stateDirectory))
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    /// <summary>
    /// A listener on <paramref name="port"/> once it can be had. The port of an app a stopped Simulator hosted can stay
    /// in use for a moment after the Simulator's disposal returns (seen: a bind right after it failed, one a little
    /// later did not, with no socket left on the port by then); a Simulator process that exits frees it at once.
    /// </summary>
    private static async Task<TcpListener> ListenWhenFreeAsync(int port)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
                return listener;
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse
                && DateTimeOffset.UtcNow < deadline)
            {
                listener.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    private Task<IReadOnlyList<StoredService>> LoadAsync() =>
        new ServiceStore(Options.Create(new CloudRunSimulatorOptions { StateDirectory = stateDirectory }),
            NullLogger<ServiceStore>.Instance).LoadAsync(CancellationToken.None);
}

[CollectionDefinition(ServiceRestartTests.Name, DisableParallelization = true)]
public sealed class RestartCollection;
