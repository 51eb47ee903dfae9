using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Sdp.LocalServers.Postgres;
using Sdp.LocalServers.RabbitMQ;
using Sdp.LocalServers.Redis;

namespace AppHost.Tests;

/// <summary>
/// What the AppHost declares: the servers (this machine's binaries through LocalServers, or Aspire's container
/// integrations with <c>Sdp:UseContainers=true</c>), and the four services with the same references and start order
/// either way.
/// </summary>
public sealed class AppHostModelTests : IDisposable
{
    private static readonly string[] Servers = ["postgres", "sdpdb", "sdpdb-app", "redis", "messaging"];

    private readonly TestStateDirectory _state = new();

    [Fact]
    public async Task By_default_the_servers_are_the_local_ones()
    {
        var builder = await AppHostModel.CreateAsync(_state.Path);

        Assert.IsType<LocalPostgresServerResource>(builder.Get("postgres"));
        var sdpdb = Assert.IsType<LocalPostgresDatabaseResource>(builder.Get("sdpdb"));
        Assert.Equal(("sdpdb", "postgres"), (sdpdb.DatabaseName, sdpdb.Parent.Name));
        Assert.IsType<LocalRedisResource>(builder.Get("redis"));
        Assert.IsType<LocalRabbitMQServerResource>(builder.Get("messaging"));
        AssertLoginRole(builder);
        // Their state (data, passwords) in the state folder.
        Assert.All(new[] { "postgres", "redis", "messaging" }, name =>
            Assert.Equal(Path.Combine(_state.Path, name), Assert.IsAssignableFrom<ExecutableResource>(builder.Get(name)).WorkingDirectory));
    }

    [Fact]
    public async Task With_UseContainers_the_servers_are_Aspires_container_integrations()
    {
        var builder = await AppHostModel.CreateAsync(_state.Path, "--Sdp:UseContainers=true");

        Assert.IsType<PostgresServerResource>(builder.Get("postgres"));
        var sdpdb = Assert.IsType<PostgresDatabaseResource>(builder.Get("sdpdb"));
        Assert.Equal(("sdpdb", "postgres"), (sdpdb.DatabaseName, sdpdb.Parent.Name));
        Assert.IsType<RedisResource>(builder.Get("redis"));
        Assert.IsType<RabbitMQServerResource>(builder.Get("messaging"));
        // The login role works on either database; nothing else of LocalServers is left.
        AssertLoginRole(builder);
        Assert.DoesNotContain(builder.Resources,
            r => r is LocalPostgresServerResource or LocalPostgresDatabaseResource or LocalRedisResource or LocalRabbitMQServerResource);
        Assert.Empty(Directory.EnumerateDirectories(_state.Path).Select(Path.GetFileName).Intersect(["postgres", "redis", "messaging"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_services_reference_the_servers_and_wait_for_them_either_way(bool useContainers)
    {
        var builder = await AppHostModel.CreateAsync(_state.Path, $"--Sdp:UseContainers={useContainers}");

        Assert.Equal(Servers.Order(StringComparer.Ordinal),
            builder.Resources.OfType<IResourceWithConnectionString>().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["simulator", "scenario-runner", "orchestrator-api", "provisioner-worker", "cleanup-worker"],
            builder.Resources.OfType<ProjectResource>().Select(r => r.Name));

        // The Simulator is only the local Cloud Run: on no bus, waiting for nothing.
        var simulator = builder.Get("simulator");
        Assert.Empty(simulator.References());
        Assert.Empty(simulator.Waits());
        Assert.DoesNotContain("ConnectionStrings__messaging", (await simulator.EnvironmentAsync()).Keys);
        // It keeps its services in the state folder, so a restart brings them back.
        Assert.Equal(Path.Combine(_state.Path, "simulator"), (await simulator.EnvironmentAsync())["CloudRunSimulator__StateDirectory"]);

        // The scenario runner takes runs from the bus and calls deployments at their URLs: it needs the broker only.
        var runner = builder.Get("scenario-runner");
        Assert.Equal(["messaging"], runner.References());
        Assert.Equal(["messaging"], runner.Waits());
        Assert.Equal("{messaging.connectionString}", (await runner.EnvironmentAsync())["ConnectionStrings__messaging"]);

        // The Orchestrator runs as the restricted role (read as sdpdb) and migrates as the owner (sdpdb-owner). Waiting
        // for a database or a role waits for its server too.
        var orchestrator = builder.Get("orchestrator-api");
        Assert.Equal(["sdpdb-app", "sdpdb", "messaging"], orchestrator.References());
        Assert.Equal(["messaging", "postgres", "sdpdb", "sdpdb-app"], orchestrator.Waits());
        var environment = await orchestrator.EnvironmentAsync();
        Assert.Equal("{sdpdb-app.connectionString}", environment["ConnectionStrings__sdpdb"]);
        Assert.Equal("{sdpdb.connectionString}", environment["ConnectionStrings__sdpdb-owner"]);
        Assert.Equal("{messaging.connectionString}", environment["ConnectionStrings__messaging"]);
        Assert.DoesNotContain("ConnectionStrings__sdpdb-app", environment.Keys);

        foreach (var name in new[] { "provisioner-worker", "cleanup-worker" })
        {
            var worker = builder.Get(name);
            Assert.Equal(["sdpdb", "redis", "messaging", "simulator"], worker.References());
            Assert.Equal(["messaging", "postgres", "redis", "sdpdb", "simulator"], worker.Waits());
            environment = await worker.EnvironmentAsync();
            Assert.Equal("{sdpdb.connectionString}", environment["ConnectionStrings__sdpdb"]);
            Assert.Equal("{redis.connectionString}", environment["ConnectionStrings__redis"]);
            Assert.Equal("{messaging.connectionString}", environment["ConnectionStrings__messaging"]);
            Assert.Equal("{simulator.bindings.http.url}", environment["services__simulator__http__0"]);
            // The local Redis keeps users in its ACL file only when told to save them; a container's keeps none.
            Assert.Equal((!useContainers).ToString(), environment["CandidateRedis__SaveUsers"]);
        }
    }

    [Fact]
    public async Task Services_listen_unproxied_on_the_ports_of_the_AppHost_settings_unless_overridden()
    {
        var defaults = await AppHostModel.CreateAsync(_state.Path);
        var overridden = await AppHostModel.CreateAsync(_state.Path, "--Sdp:OrchestratorPort=5999");

        Assert.Equal((5180, 5180), Ports(defaults, "orchestrator-api"));
        Assert.Equal((5183, 5183), Ports(defaults, "simulator"));
        Assert.Equal((5999, 5999), Ports(overridden, "orchestrator-api"));
        Assert.All(defaults.Resources.OfType<ProjectResource>(), project => Assert.False(Http(project).IsProxied, project.Name));
    }

    [Fact]
    public async Task Project_resources_point_at_the_services_projects()
    {
        var builder = await AppHostModel.CreateAsync(_state.Path);

        foreach (var (name, project) in new[]
        {
            ("simulator", "Simulator"), ("scenario-runner", "ScenarioRunner"), ("orchestrator-api", "Orchestrator.Api"),
            ("provisioner-worker", "Provisioner.Worker"), ("cleanup-worker", "Cleanup.Worker"),
        })
        {
            var path = builder.Get(name).Annotations.OfType<IProjectMetadata>().Single().ProjectPath;
            Assert.EndsWith(Path.Combine(project, project + ".csproj"), path);
            Assert.True(File.Exists(path), path);
        }
    }

    [Fact]
    public async Task Prometheus_is_declared_when_installed_and_wanted()
    {
        var binary = Path.Combine(Directory.CreateDirectory(Path.Combine(_state.Path, "bin")).FullName, "prometheus");
        File.WriteAllText(binary, "");

        var installed = await AppHostModel.CreateAsync(_state.Path, $"--Prometheus:Binary={binary}", "--Prometheus:Enabled=true");
        var notInstalled = await AppHostModel.CreateAsync(_state.Path, "--Prometheus:Binary=/nonexistent/prometheus", "--Prometheus:Enabled=true");

        var prometheus = Assert.IsAssignableFrom<ExecutableResource>(installed.Get("prometheus"));
        Assert.Equal(binary, prometheus.Command);
        Assert.Equal(9090, Http(prometheus).Port);
        Assert.DoesNotContain(notInstalled.Resources, r => r.Name == "prometheus");
    }

    [Fact]
    public async Task Services_export_metrics_to_the_dashboard_every_five_seconds_and_traces_and_logs_every_second()
    {
        var builder = await AppHostModel.CreateAsync(_state.Path);

        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var environment = await project.RunEnvironmentAsync();
            Assert.Equal("5000", environment["OTEL_METRIC_EXPORT_INTERVAL"]);
            Assert.Equal("1000", environment["OTEL_BSP_SCHEDULE_DELAY"]);
            Assert.Equal("1000", environment["OTEL_BLRP_SCHEDULE_DELAY"]);
            // No export retries: a service's last batch must not hold up its stop once the dashboard is gone.
            Assert.False(environment.ContainsKey("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"));
        }
    }

    [Fact]
    public async Task Services_run_from_the_assemblies_the_AppHosts_build_made_not_through_dotnet_run()
    {
        var builder = await AppHostModel.CreateAsync(_state.Path);

        var projects = builder.Resources.OfType<ProjectResource>().ToList();
        Assert.Equal(5, projects.Count);
        foreach (var project in projects)
        {
            var launch = project.Annotations.OfType<ExecutableAnnotation>().Single();
            var projectPath = project.GetProjectMetadata().ProjectPath;
            Assert.Equal(("dotnet", Path.GetDirectoryName(projectPath)), (launch.Command, launch.WorkingDirectory));
            var arguments = await project.ArgumentsAsync();
            var assembly = Assert.Single(arguments);
            // The same configuration as the AppHost's (and so this test's) build, and there: built with it.
            Assert.Equal(Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", AppHostModel.Configuration, "net10.0",
                Path.GetFileNameWithoutExtension(projectPath) + ".dll"), assembly);
            Assert.True(File.Exists(assembly), assembly);
        }
    }

    public void Dispose() => _state.Dispose();

    private static void AssertLoginRole(IDistributedApplicationTestingBuilder builder)
    {
        var role = Assert.IsType<PostgresLoginRoleResource>(builder.Get("sdpdb-app"));
        Assert.Equal("sdp_app", role.RoleName);
        Assert.Same(builder.Get("sdpdb"), role.Parent);
    }

    private static EndpointAnnotation Http(IResource resource) =>
        resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");

    private static (int?, int?) Ports(IDistributedApplicationTestingBuilder builder, string name)
    {
        var http = Http(builder.Get(name));
        return (http.Port, http.TargetPort);
    }
}
