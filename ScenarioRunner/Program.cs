using Sdp.ScenarioRunner;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
// The checks and load of each problem type, and how candidate services are called (anonymously or with an ID token).
builder.AddScenarios();
// Runs arrive as ScenarioRunRequested; replicas share the queue as competing consumers.
builder.AddMessaging("messaging", bus => bus.AddScenarioConsumers());

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
