var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var sdpdb = postgres.AddDatabase("sdpdb");
var redis = builder.AddRedis("redis");
var messaging = builder.AddRabbitMQ("messaging");

var simulator = builder.AddProject<Projects.Simulator>("simulator")
    .WithReference(messaging).WaitFor(messaging);

var orchestrator = builder.AddProject<Projects.Orchestrator_Api>("orchestrator-api")
    .WithHttpEndpoint(port: builder.Configuration.GetValue("Sdp:OrchestratorPort", 5180))
    .WithReference(sdpdb).WaitFor(sdpdb)
    .WithReference(messaging).WaitFor(messaging);

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
