using Microsoft.Extensions.Configuration;
using Sdp.AppHost.Auth;
using Sdp.AppHost.Dashboard;
using Sdp.AppHost;
using Sdp.LocalServers;

var builder = DistributedApplication.CreateBuilder(args);
var state = LocalStateDirectory.From(builder.Configuration, builder.AppHostDirectory);

// PostgreSQL, Redis and RabbitMQ from this machine's binaries (scripts/bootstrap.sh installs them); on a machine
// with a container runtime, Sdp:UseContainers=true takes Aspire's own container integrations instead.
IResourceBuilder<IResourceWithConnectionString> sdpdb, redis, messaging;
var useContainers = builder.Configuration.GetValue<bool>("Sdp:UseContainers");
if (useContainers)
{
    sdpdb = builder.AddPostgres("postgres").AddDatabase("sdpdb");
    redis = builder.AddRedis("redis");
    messaging = builder.AddRabbitMQ("messaging");
}
else
{
    sdpdb = builder.AddLocalPostgres("postgres", state).AddDatabase("sdpdb");
    redis = builder.AddLocalRedis("redis", state);
    messaging = builder.AddLocalRabbitMQ("messaging", state);
}

// The Orchestrator runs as this role; its migrations run as the owner (sdpdb-owner) and grant it what it needs.
var sdpApp = sdpdb.AddLoginRole("sdpdb-app", roleName: "sdp_app", state);

// The Orchestrator gets only the key's hash; the dashboard's deployments view calls it with the key itself.
var adminKey = AdminApiKey.ReadOrCreate(state.Root, Console.Out);

// The local Cloud Run keeps its services in the state folder, as Cloud Run keeps them across its own restarts.
var simulator = builder.AddProject<Projects.Simulator>("simulator")
    .WithLocalEndpoint("Sdp:SimulatorPort").WithQuickStop().WithHttpHealthCheck("/health")
    .WithEnvironment("CloudRunSimulator__StateDirectory", state.ResourceDirectory("simulator"));

// Scenario runs come over the bus; the runner calls each deployment at the URL in the request, as in production.
builder.AddProject<Projects.ScenarioRunner>("scenario-runner")
    .WithLocalEndpoint().WithQuickStop().WithHttpHealthCheck("/health")
    .WithReference(messaging).WaitFor(messaging);

// The local Redis keeps candidates' users in its ACL file, which the workers rewrite after each change.
var saveRedisUsers = (!useContainers).ToString();

var orchestrator = builder.AddProject<Projects.Orchestrator_Api>("orchestrator-api")
    .WithLocalEndpoint("Sdp:OrchestratorPort").WithQuickStop().WithHttpHealthCheck("/health")
    .WithReference(sdpApp, "sdpdb").WaitFor(sdpApp)
    .WithReference(sdpdb, "sdpdb-owner").WaitFor(sdpdb)
    .WithReference(messaging).WaitFor(messaging)
    .WithEnvironment("Auth__BootstrapAdminKeySha256", adminKey.Sha256Hex);

builder.AddProject<Projects.Provisioner_Worker>("provisioner-worker")
    .WithLocalEndpoint().WithQuickStop().WithHttpHealthCheck("/health")
    .WithEnvironment("CandidateRedis__SaveUsers", saveRedisUsers)
    .WithReference(sdpdb).WaitFor(sdpdb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(simulator).WaitFor(simulator);

builder.AddProject<Projects.Cleanup_Worker>("cleanup-worker")
    .WithLocalEndpoint().WithQuickStop().WithHttpHealthCheck("/health")
    .WithEnvironment("CandidateRedis__SaveUsers", saveRedisUsers)
    .WithReference(sdpdb).WaitFor(sdpdb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(simulator).WaitFor(simulator);

// Generated specs: the model the Orchestrator asks, from this process's environment (Generation__Endpoint,
// Generation__Model, Generation__Timeout, and the key Generation__ApiKey, passed as a secret only when it is set).
// Without an endpoint and a model nothing is generated; a design with no template then answers 422.
GenerationSettings.PassTo(builder, orchestrator);

// Live deployments, standby pools and the operator's actions, on the dashboard's deployments resource.
builder.AddDeploymentsView("deployments", orchestrator, adminKey.Secret);

builder.AddLocalPrometheus("prometheus", state, Path.Combine(state.SolutionDirectory, "deploy", "prometheus", "sdp-alerts.yml"));

// Metrics reach the dashboard every 5 s rather than every second: the dashboard's ingestion shares the cores.
builder.ExportMetricsEvery(TimeSpan.FromSeconds(5));

// The dashboard keeps its telemetry in memory, not in a database on the disk PostgreSQL's commits wait for.
builder.KeepDashboardTelemetryInMemory();

// Each service runs from the assembly the AppHost's build made, not through `dotnet run`: seconds faster to start.
builder.RunProjectsFromTheirBuild();

builder.Build().Run();
