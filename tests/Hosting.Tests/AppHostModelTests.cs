using Sdp.Hosting;

namespace Hosting.Tests;

/// <summary>The AppHost's Program.cs, run up to builder.Build() through the testing builder: what it declares.</summary>
public sealed class AppHostModelTests : IDisposable
{
    // Main keeps the admin key in the state folder: never the developer's own .sdp/.
    private readonly TestStateDirectory _state = new();

    [Fact]
    public async Task The_AppHost_declares_the_platform_with_its_references_and_start_order()
    {
        var builder = await CreateAsync();

        Assert.Equal(
            ["postgres", "sdpdb", "sdpdb-app", "redis", "messaging", "simulator", "orchestrator-api", "provisioner-worker", "cleanup-worker"],
            builder.Resources.Select(r => r.Name));
        Assert.Equal(["postgres"], NamesOf(Get(builder, "sdpdb").WaitFor));
        Assert.Equal(["sdpdb"], NamesOf(Get(builder, "sdpdb-app").WaitFor));
        Assert.Equal("sdp_app", Assert.IsType<PostgresLoginRoleResource>(Get(builder, "sdpdb-app")).RoleName);
        // The Simulator is on the bus (scenario runs).
        Assert.Equal(["messaging"], NamesOf(Get(builder, "simulator").WaitFor));
        Assert.Equal(["messaging"], NamesOf(Get(builder, "simulator").References));
        // The Orchestrator runs as the restricted role (read as sdpdb) and migrates as the owner (sdpdb-owner).
        var orchestrator = Get(builder, "orchestrator-api");
        Assert.Equal(["sdpdb-app", "sdpdb", "messaging"], NamesOf(orchestrator.WaitFor));
        Assert.Equal(["sdpdb-app", "sdpdb", "messaging"], NamesOf(orchestrator.References));
        Assert.Equal(["sdpdb", "sdpdb-owner", "messaging"], orchestrator.References.Select(orchestrator.ConnectionNameOf));
        foreach (var worker in new[] { "provisioner-worker", "cleanup-worker" })
        {
            Assert.Equal(["sdpdb", "redis", "messaging", "simulator"], NamesOf(Get(builder, worker).WaitFor));
            Assert.Equal(["sdpdb", "redis", "messaging", "simulator"], NamesOf(Get(builder, worker).References));
            Assert.Equal(["sdpdb", "redis", "messaging", "simulator"], Get(builder, worker).References.Select(Get(builder, worker).ConnectionNameOf));
        }

        // Project metadata points at the services' built dlls.
        var simulator = Assert.IsType<ProjectResource>(Get(builder, "simulator"));
        Assert.EndsWith("Simulator.csproj", simulator.Metadata.ProjectPath);
        Assert.EndsWith("Simulator.dll", simulator.Metadata.TargetPath);
        Assert.True(File.Exists(simulator.Metadata.TargetPath), simulator.Metadata.TargetPath);
    }

    [Fact]
    public async Task The_orchestrator_port_comes_from_AppHost_settings_unless_overridden()
    {
        var defaults = await CreateAsync();
        var overridden = await CreateAsync("--Sdp:OrchestratorPort=0");

        Assert.Equal(5180, Http(defaults, "orchestrator-api").RequestedPort);
        Assert.Equal("localhost", Http(defaults, "orchestrator-api").Host);
        Assert.Equal(0, Http(overridden, "orchestrator-api").RequestedPort);
        Assert.Equal("127.0.0.1", Http(overridden, "orchestrator-api").Host);
        Assert.Null(Http(defaults, "simulator").RequestedPort);
    }

    [Fact]
    public async Task A_test_can_add_environment_to_a_declared_resource()
    {
        var builder = await CreateAsync();

        builder.CreateResourceBuilder<ProjectResource>("provisioner-worker").WithEnvironment("Provisioner__Target", "simulator");

        Assert.Equal("simulator", Get(builder, "provisioner-worker").Environment["Provisioner__Target"]);
        Assert.Throws<InvalidOperationException>(() => builder.CreateResourceBuilder<ProjectResource>("nope"));
        Assert.Throws<InvalidOperationException>(() => builder.CreateResourceBuilder<ProjectResource>("redis"));
    }

    public void Dispose() => _state.Dispose();

    private Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Program>([$"--Sdp:StateDirectory={_state.Path}", .. args], CancellationToken.None);

    private static Resource Get(IDistributedApplicationBuilder builder, string name) =>
        (Resource)builder.Resources.Single(r => r.Name == name);

    private static ResourceEndpoint Http(IDistributedApplicationBuilder builder, string name) =>
        Get(builder, name).Endpoints.Single(e => e.Name == "http");

    private static string[] NamesOf(IEnumerable<IResource> resources) => [.. resources.Select(r => r.Name)];
}
