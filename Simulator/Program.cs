using Sdp.Simulator.CloudRun;

// The Cloud Run Admin API v2 stand-in of local and test environments: it hosts the candidate services it is asked to
// create, each at a loopback URL of its own. Scenario runs are the scenario runner's.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddCloudRunSimulator();

var app = builder.Build();
app.UseCloudRunFaultInjection();
app.MapDefaultEndpoints();
app.MapCloudRunApi();
app.Run();
