using Sdp.Simulator.CloudRun;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddCloudRunSimulator();

var app = builder.Build();
app.UseCloudRunFaultInjection();
app.MapDefaultEndpoints();
app.MapCloudRunApi();
app.Run();
