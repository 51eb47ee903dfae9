using Sdp.AppHost.Auth;

var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var sdpdb = postgres.AddDatabase("sdpdb");
// The Orchestrator runs as this role; its migrations run as the owner (sdpdb-owner) and grant it what it needs.
var sdpApp = sdpdb.AddLoginRole("sdpdb-app", roleName: "sdp_app");
var redis = builder.AddRedis("redis");
var messaging = builder.AddRabbitMQ("messaging");

// The Orchestrator gets only the key's hash; the dashboard's live view calls it with the key itself.
var adminKey = AdminApiKey.ReadOrCreate(builder.StateDirectory, Console.Out);
builder.Configuration["Dashboard:DeploymentsApiKey"] = adminKey.Secret;

var simulator = builder.AddProject<Projects.Simulator>("simulator")
    .WithReference(messaging).WaitFor(messaging);

var orchestrator = builder.AddProject<Projects.Orchestrator_Api>("orchestrator-api")
    .WithHttpEndpoint(port: builder.Configuration.GetValue("Sdp:OrchestratorPort", 5180))
    .WithReference(sdpApp, "sdpdb").WaitFor(sdpApp)
    .WithReference(sdpdb, "sdpdb-owner").WaitFor(sdpdb)
    .WithReference(messaging).WaitFor(messaging)
    .WithEnvironment("Auth__BootstrapAdminKeySha256", adminKey.Sha256Hex);

builder.AddProject<Projects.Provisioner_Worker>("provisioner-worker")
    .WithReference(sdpdb).WaitFor(sdpdb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(simulator).WaitFor(simulator);

builder.AddProject<Projects.Cleanup_Worker>("cleanup-worker")
    .WithReference(sdpdb).WaitFor(sdpdb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(simulator).WaitFor(simulator);

builder.Build().Run();

/// <summary>The AppHost's entry point, named so tests can start it through DistributedApplicationTestingBuilder.</summary>
public partial class Program;
