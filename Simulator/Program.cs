using Sdp.Simulator.CloudRun;
using Sdp.Simulator.Scenarios;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddCloudRunSimulator();
builder.AddScenarios();
// Without a broker (tests, or the Simulator alone) it serves Cloud Run and runs no scenarios from the bus.
if (builder.Configuration.GetConnectionString("messaging") is not null)
{
    builder.AddMessaging("messaging", bus => bus.AddScenarioConsumers());
}

var app = builder.Build();
app.UseCloudRunFaultInjection();
app.MapDefaultEndpoints();
app.MapCloudRunApi();
app.Run();
