using Sdp.Hosting;
using Sdp.Hosting.Runners;

namespace Hosting.Tests;

/// <summary>The environment a service is started with: Aspire's conventions, the launch profile, WithEnvironment.</summary>
public sealed class ProjectEnvironmentTests : IDisposable
{
    private readonly TestStateDirectory _folder = new();

    [Fact]
    public void A_service_gets_references_telemetry_urls_launch_profile_and_overrides()
    {
        var projectDirectory = Directory.CreateDirectory(Path.Combine(_folder.Path, "Service"));
        Directory.CreateDirectory(Path.Combine(projectDirectory.FullName, "Properties"));
        File.WriteAllText(Path.Combine(projectDirectory.FullName, "Properties", "launchSettings.json"), """
            {
              // comments are allowed here
              "profiles": {
                "http": {
                  "commandName": "Project",
                  "environmentVariables": { "ASPNETCORE_ENVIRONMENT": "Development", "FROM_PROFILE": "1", "OVERRIDDEN": "profile" },
                },
              }
            }
            """);
        var server = new PostgresServerResource("postgres") { Password = "pw" };
        server.PrimaryEndpoint.RequestedPort = 5432;
        server.PrimaryEndpoint.Allocate();
        var database = new PostgresDatabaseResource("sdpdb", "sdpdb", server);
        var rabbit = new RabbitMQServerResource("messaging") { Password = "p/w" };
        rabbit.PrimaryEndpoint.RequestedPort = 5672;
        rabbit.PrimaryEndpoint.Allocate();
        var orchestrator = new ProjectResource("orchestrator-api", new Metadata(projectDirectory.FullName));
        orchestrator.HttpEndpoint.RequestedPort = 5180;
        orchestrator.HttpEndpoint.Allocate();
        var worker = new ProjectResource("provisioner-worker", new Metadata(projectDirectory.FullName));
        worker.HttpEndpoint.Allocate();
        worker.AddReference(database);
        worker.AddReference(rabbit);
        worker.AddReference(orchestrator);
        worker.SetEnvironment("OVERRIDDEN", "test");

        var environment = RunnerFor(worker).BuildEnvironment();

        Assert.Equal("Host=127.0.0.1;Port=5432;Username=postgres;Password=pw;Database=sdpdb", environment["ConnectionStrings__sdpdb"]);
        Assert.Equal("amqp://sdp:p%2Fw@127.0.0.1:5672", environment["ConnectionStrings__messaging"]);
        Assert.Equal("http://localhost:5180", environment["services__orchestrator-api__http__0"]);
        Assert.Equal($"http://127.0.0.1:{worker.HttpEndpoint.Port}", environment["ASPNETCORE_URLS"]);
        Assert.Equal("provisioner-worker", environment["OTEL_SERVICE_NAME"]);
        Assert.Matches("^service\\.instance\\.id=provisioner-worker-[0-9a-f]{8}$", environment["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("false", environment["MASSTRANSIT_USAGE_TELEMETRY"]);
        Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("1", environment["FROM_PROFILE"]);
        Assert.Equal("http", environment["DOTNET_LAUNCH_PROFILE"]);
        Assert.Equal("test", environment["OVERRIDDEN"]);
        Assert.False(environment.ContainsKey("ConnectionStrings__redis"));
    }

    [Fact]
    public void A_connection_string_can_be_injected_under_another_name()
    {
        var server = new PostgresServerResource("postgres") { Password = "owner-pw" };
        server.PrimaryEndpoint.RequestedPort = 5432;
        server.PrimaryEndpoint.Allocate();
        var database = new PostgresDatabaseResource("sdpdb", "sdpdb", server);
        var role = new PostgresLoginRoleResource("sdpdb-app", "sdp_app", database) { Password = "app-pw" };
        var orchestrator = new ProjectResource("orchestrator-api", new Metadata(_folder.Path));
        orchestrator.HttpEndpoint.Allocate();
        orchestrator.AddReference(role, "sdpdb");
        orchestrator.AddReference(database, "sdpdb-owner");

        var environment = RunnerFor(orchestrator).BuildEnvironment();

        Assert.Equal("Host=127.0.0.1;Port=5432;Username=sdp_app;Password=app-pw;Database=sdpdb", environment["ConnectionStrings__sdpdb"]);
        Assert.Equal("Host=127.0.0.1;Port=5432;Username=postgres;Password=owner-pw;Database=sdpdb", environment["ConnectionStrings__sdpdb-owner"]);
        Assert.False(environment.ContainsKey("ConnectionStrings__sdpdb-app"));
        // Two sources under one name, or one source under two: a mistake, refused where it is declared.
        Assert.Throws<InvalidOperationException>(() => orchestrator.AddReference(server, "sdpdb"));
        Assert.Throws<InvalidOperationException>(() => orchestrator.AddReference(role, "another-name"));
    }

    [Fact]
    public void A_fixed_port_is_announced_as_localhost()
    {
        var orchestrator = new ProjectResource("orchestrator-api", new Metadata(_folder.Path));
        orchestrator.HttpEndpoint.RequestedPort = 5180;
        orchestrator.HttpEndpoint.Allocate();

        Assert.Equal("http://localhost:5180", RunnerFor(orchestrator).BuildEnvironment()["ASPNETCORE_URLS"]);
    }

    public void Dispose() => _folder.Dispose();

    private ProjectRunner RunnerFor(ProjectResource resource)
    {
        var settings = new HostSettings { StateDirectory = _folder.Path };
        var logs = new ResourceLogs([resource.Name], Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);
        return new ProjectRunner(resource, new RunnerContext(settings, new StateDirectory(_folder.Path), logs, TimeProvider.System), new HttpClient());
    }

    private sealed class Metadata(string projectDirectory) : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(projectDirectory, "Service.csproj");

        public string TargetPath => Path.Combine(projectDirectory, "bin", "Service.dll");
    }
}
