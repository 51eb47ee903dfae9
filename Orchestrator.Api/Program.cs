using Scalar.AspNetCore;
using Sdp.Orchestrator.Api.Admin;
using Sdp.Orchestrator.Api.Audit;
using Sdp.Orchestrator.Api.Deployments;
using Sdp.Orchestrator.Api.Retention;
using Sdp.Orchestrator.Api.Scenarios;
using Sdp.Orchestrator.Api.Telemetry;
using Sdp.Orchestrator.Api.Templates;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("sdpdb");
builder.AddDeployments();
builder.AddDeploymentMetrics();
builder.AddScenarios();
builder.AddAudit();
builder.AddRetention();
builder.AddMessaging("messaging", bus =>
{
    bus.AddConsumer<DeploymentLifecycleConsumer>(typeof(DeploymentLifecycleConsumerDefinition));
    bus.AddConsumer<ScenarioRunConsumer>(typeof(ScenarioRunConsumerDefinition));
});
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseAuditLog();
app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOpenApi();
app.MapScalarApiReference();
app.MapDefaultEndpoints();
app.MapDeploymentEndpoints();
app.MapScenarioEndpoints();
app.MapTemplateEndpoints();
app.MapAdminEndpoints();
app.MapAuditEndpoints();

app.Run();
