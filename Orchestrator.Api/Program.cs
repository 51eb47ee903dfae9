using Scalar.AspNetCore;
using Sdp.Orchestrator.Api.Admin;
using Sdp.Orchestrator.Api.Audit;
using Sdp.Orchestrator.Api.Auth;
using Sdp.Orchestrator.Api.Deployments;
using Sdp.Orchestrator.Api.Generation;
using Sdp.Orchestrator.Api.Quotas;
using Sdp.Orchestrator.Api.RateLimiting;
using Sdp.Orchestrator.Api.Retention;
using Sdp.Orchestrator.Api.Scenarios;
using Sdp.Orchestrator.Api.Standby;
using Sdp.Orchestrator.Api.Telemetry;
using Sdp.Orchestrator.Api.Templates;
using Sdp.Orchestrator.Api.Tenants;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("sdpdb");
builder.AddDeployments();
builder.AddSpecGeneration();
builder.AddStandbyPools();
builder.AddDeploymentMetrics();
builder.AddScenarios();
builder.AddTenants();
builder.AddTenantQuotas();
builder.AddApiKeyAuthentication();
builder.AddApiRateLimiting();
builder.AddAudit();
builder.AddRetention();
builder.AddMessaging("messaging", bus =>
{
    bus.AddConsumer<DeploymentLifecycleConsumer>(typeof(DeploymentLifecycleConsumerDefinition));
    bus.AddConsumer<ScenarioRunConsumer>(typeof(ScenarioRunConsumerDefinition));
});
builder.Services.AddOpenApi(options => options.AddDocumentTransformer<ApiKeySecuritySchemes>());

var app = builder.Build();
// The audit log wraps everything, so it records the final status of every refusal (401 and 403 from
// authorization, 429 from the rate limiter, 503 from the exception handler) and reads the caller afterwards.
app.UseAuditLog();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapDefaultEndpoints();
app.MapDeploymentEndpoints();
app.MapScenarioEndpoints();
app.MapTemplateEndpoints();
app.MapAdminEndpoints();
app.MapStandbyEndpoints();
app.MapTenantEndpoints();
app.MapApiKeyEndpoints();
app.MapAuditEndpoints();

app.Run();
