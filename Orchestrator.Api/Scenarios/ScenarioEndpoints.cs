using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Sdp.Orchestrator.Api.Audit;
using Sdp.Orchestrator.Api.Auth;
using Sdp.Orchestrator.Api.Http;
using Sdp.Orchestrator.Api.Outbox;

namespace Sdp.Orchestrator.Api.Scenarios;

public static class ScenarioEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;
    private const int ListLimit = 50;

    public static IEndpointRouteBuilder MapScenarioEndpoints(this IEndpointRouteBuilder app)
    {
        var scenarios = app.MapGroup("/api/deployments/{deploymentId:long}/scenarios").WithTags("Scenarios");

        scenarios.MapPost("/", CreateAsync)
            .RequireAuthorization(AuthPolicies.Tenant)
            .WithSummary("Drive the template's scenario (correctness checks, then load) at a ready deployment")
            .Audited("scenario_run.create", target: "deployment:{deploymentId}", created: "scenario_run")
            .Accepts<CreateScenarioRunRequest>(isOptional: true, "application/json")
            .Produces<ScenarioRunResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        scenarios.MapGet("/", ListAsync)
            .WithSummary("A deployment's scenario runs, newest first")
            .Produces<ScenarioRunList>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        scenarios.MapGet("/{runId:long}", GetAsync)
            .WithSummary("A scenario run: progress while it runs, then the report")
            .Produces<ScenarioRunResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<IResult> CreateAsync(long deploymentId, HttpRequest request, ScenarioRunStore store,
        OutboxPublisher outbox, IOptions<JsonOptions> json, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenantId = request.HttpContext.RequiredCaller().TenantId
            ?? throw new InvalidOperationException("A tenant key has a tenant.");
        var body = CreateScenarioRunRequest.Empty;
        // Every field is optional, so an empty body asks for the defaults.
        if (request.ContentLength is not 0 && (request.ContentLength is not null || request.ContentType is not null))
        {
            var (read, problem) = await JsonBody.ReadAsync<CreateScenarioRunRequest>(request,
                json.Value.SerializerOptions, MaxBodyBytes, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            body = read!;
        }

        var errors = body.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid scenario request");
        }

        var creation = await store.CreateAsync(deploymentId, tenantId, body.ResolveLoad(), body.CleanupAfterTest ?? false,
            cancellationToken);
        switch (creation)
        {
            case ScenarioRunCreation.Created(var run, var message):
                await outbox.PublishOrLeaveToRelayAsync(message, cancellationToken);
                return TypedResults.Accepted($"/api/deployments/{deploymentId}/scenarios/{run.Id}",
                    ScenarioRunResponse.From(run));
            case ScenarioRunCreation.DeploymentNotReady(var state):
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                    title: "Deployment not ready",
                    detail: $"Deployment {deploymentId} is {state}; a scenario runs only against a ready deployment.",
                    extensions: new Dictionary<string, object?> { ["state"] = state });
            case ScenarioRunCreation.RunInFlight(var runId):
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                    title: "Scenario run in progress",
                    detail: $"Deployment {deploymentId} already has a scenario run in progress" +
                            (runId is { } id ? $" ({id}); wait for it to complete." : "; wait for it to complete."),
                    extensions: new Dictionary<string, object?> { ["run_id"] = runId });
            case ScenarioRunCreation.Refused(var quota):
                return quota.ToProblem(request.HttpContext, time);
            default:
                return DeploymentNotFound(deploymentId);
        }
    }

    private static async Task<IResult> ListAsync(long deploymentId, HttpContext context, ScenarioRunStore store,
        CancellationToken cancellationToken)
    {
        var runs = await store.ListAsync(deploymentId, context.RequiredCaller().TenantScope(), ListLimit,
            cancellationToken);
        return runs is null
            ? DeploymentNotFound(deploymentId)
            : TypedResults.Ok(new ScenarioRunList([.. runs.Select(ScenarioRunResponse.From)]));
    }

    private static async Task<IResult> GetAsync(long deploymentId, long runId, HttpContext context,
        ScenarioRunStore store, CancellationToken cancellationToken)
    {
        var run = await store.GetAsync(deploymentId, runId, context.RequiredCaller().TenantScope(), cancellationToken);
        return run is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Scenario run not found",
                detail: $"Deployment {deploymentId} has no scenario run {runId}.")
            : TypedResults.Ok(ScenarioRunResponse.From(run));
    }

    private static IResult DeploymentNotFound(long id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Deployment not found",
        detail: $"There is no deployment {id}.");
}
