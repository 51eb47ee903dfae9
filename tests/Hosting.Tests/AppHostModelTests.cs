using Sdp.Hosting;

namespace Hosting.Tests;

/// <summary>The AppHost's Program.cs, run up to builder.Build() through the testing builder: what it declares.</summary>
public sealed class AppHostModelTests
{
    [Fact]
    public async Task The_AppHost_declares_the_platform_with_its_references_and_start_order()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(CancellationToken.None);

        Assert.Equal(
            ["postgres", "sdpdb", "redis", "messaging", "simulator", "orchestrator-api", "provisioner-worker", "cleanup-worker"],
            builder.Resources.Select(r => r.Name));
        Assert.Equal(["postgres"], NamesOf(Get(builder, "sdpdb").WaitFor));
        // The Simulator is on the bus (scenario runs).
        Assert.Equal(["messaging"], NamesOf(Get(builder, "simulator").WaitFor));
        Assert.Equal(["messaging"], NamesOf(Get(builder, "simulator").References));
        Assert.Equal(["sdpdb", "messaging"], NamesOf(Get(builder, "orchestrator-api").WaitFor));
        Assert.Equal(["sdpdb", "messaging"], NamesOf(Get(builder, "orchestrator-api").References));
        foreach (var worker in new[] { "provisioner-worker", "cleanup-worker" })
        {
            Assert.Equal(["sdpdb", "redis", "messaging", "simulator"], NamesOf(Get(builder, worker).WaitFor));
            Assert.Equal(["sdpdb", "redis", "messaging", "simulator"], NamesOf(Get(builder, worker).References));
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
        var defaults = await DistributedApplicationTestingBuilder.CreateAsync<Program>(CancellationToken.None);
        var overridden = await DistributedApplicationTestingBuilder.CreateAsync<Program>(["--Sdp:OrchestratorPort=0"], CancellationToken.None);

        Assert.Equal(5180, Http(defaults, "orchestrator-api").RequestedPort);
        Assert.Equal("localhost", Http(defaults, "orchestrator-api").Host);
        Assert.Equal(0, Http(overridden, "orchestrator-api").RequestedPort);
        Assert.Equal("127.0.0.1", Http(overridden, "orchestrator-api").Host);
        Assert.Null(Http(defaults, "simulator").RequestedPort);
    }

    [Fact]
    public async Task A_test_can_add_environment_to_a_declared_resource()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(CancellationToken.None);

        builder.CreateResourceBuilder<ProjectResource>("provisioner-worker").WithEnvironment("Provisioner__Target", "simulator");

        Assert.Equal("simulator", Get(builder, "provisioner-worker").Environment["Provisioner__Target"]);
        Assert.Throws<InvalidOperationException>(() => builder.CreateResourceBuilder<ProjectResource>("nope"));
        Assert.Throws<InvalidOperationException>(() => builder.CreateResourceBuilder<ProjectResource>("redis"));
    }

    private static Resource Get(IDistributedApplicationBuilder builder, string name) =>
        (Resource)builder.Resources.Single(r => r.Name == name);

    private static ResourceEndpoint Http(IDistributedApplicationBuilder builder, string name) =>
        Get(builder, name).Endpoints.Single(e => e.Name == "http");

    private static string[] NamesOf(IEnumerable<IResource> resources) => [.. resources.Select(r => r.Name)];
}
