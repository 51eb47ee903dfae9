using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using FromQueryAttribute = Microsoft.AspNetCore.Mvc.FromQueryAttribute;
using Microsoft.Extensions.Options;
using Sdp.Orchestrator.Api.Audit;
using Sdp.Orchestrator.Api.Auth;
using Sdp.Orchestrator.Api.CustomSpecs;
using Sdp.Orchestrator.Api.Generation;
using Sdp.Orchestrator.Api.Http;
using Sdp.Orchestrator.Api.Outbox;
using Sdp.Orchestrator.Api.Standby;

namespace Sdp.Orchestrator.Api.Deployments;

public static class DeploymentEndpoints
{
    private const long MaxBodyBytes = 1024 * 1024;
    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 100;
    private const int MaxWaitSeconds = 60;
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapDeploymentEndpoints(this IEndpointRouteBuilder app)
    {
        var deployments = app.MapGroup("/api/deployments").WithTags("Deployments");

        deployments.MapPost("/", CreateAsync)
            .RequireAuthorization(AuthPolicies.Tenant)
            .WithSummary("Deploy a candidate's design: a template's problem type, custom with a service_spec, or any other problem type as a spec a model generates (when one is configured)")
            .Audited("deployment.create", created: "deployment")
            .Accepts<CreateDeploymentRequest>("application/json")
            .Produces<DeploymentResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        deployments.MapGet("/", ListAsync)
            .WithSummary("List deployments, newest first")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        deployments.MapGet("/{id:long}", GetAsync)
            .WithSummary("A deployment's state, endpoint, resources and timestamps; wait_for holds until a state is reached")
            .Produces<DeploymentResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        deployments.MapDelete("/{id:long}", DeleteAsync)
            .WithSummary("Remove a deployment and everything it created")
            .Audited("deployment.delete", target: "deployment:{id}")
            .Produces<DeploymentResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, DeploymentStore store,
        DeploymentAdmission admission, OutboxPublisher outbox, StandbyRefiller standby, DeploymentMetrics metrics,
        SpecGenerationWorker generator, IOptions<GenerationOptions> generation, IOptions<JsonOptions> json,
        IOptions<DeploymentLifecycleOptions> lifecycle, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenantId = request.HttpContext.RequiredCaller().TenantId
            ?? throw new InvalidOperationException("A tenant key has a tenant.");
        var (body, problem) = await JsonBody.ReadAsync<CreateDeploymentRequest>(request,
            json.Value.SerializerOptions, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = body!.Validate(lifecycle.Value.MaxTtl);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid deployment request");
        }

        var plan = CustomDeployments.Plan(body, generation.Value.IsConfigured);
        if (plan is not { Template: { } template })
        {
            return ((DeploymentPlan.Refused)plan).Problem;
        }

        var (settings, settingErrors) = body.ResolveSettings(template);
        if (settingErrors.Count > 0)
        {
            return TypedResults.ValidationProblem(settingErrors, title: "Invalid deployment request");
        }

        if (await admission.RefusalAsync(request.HttpContext, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var creation = await store.CreateAsync(tenantId, body.ProblemType!, body.DesignText!,
            body.SubmissionId, body.Ttl(lifecycle.Value.DefaultTtl), settings, cancellationToken,
            serviceSpec: (plan as DeploymentPlan.GivenSpec)?.Spec, generate: plan is DeploymentPlan.GeneratedSpec);
        if (creation is not DeploymentCreation.Created(var deployment, var message))
        {
            return ((DeploymentCreation.Refused)creation).Quota.ToProblem(request.HttpContext, time);
        }

        // By the template that serves it: a generated deployment's own problem type is the candidate's free text.
        metrics.Accepted(template.ProblemType, warm: deployment.WarmStart);
        if (deployment.WarmStart)
        {
            standby.SlotClaimed();
        }
        else if (message is not null)
        {
            await outbox.PublishOrLeaveToRelayAsync(message, cancellationToken);
        }
        else
        {
            generator.Wake();
        }

        return TypedResults.Accepted($"/api/deployments/{deployment.Id}", DeploymentResponse.From(deployment));
    }

    /// <summary>
    /// With <c>wait_for</c>, holds the request until the deployment reaches that state (or a state past it, or
    /// failed) or <c>timeout_seconds</c> pass, then answers with the deployment as it is: progress without polling.
    /// </summary>
    private static async Task<IResult> GetAsync(long id,
        [FromQuery(Name = "wait_for")] string? waitFor, [FromQuery(Name = "timeout_seconds")] string? timeoutSeconds,
        HttpContext context, DeploymentStore store, DeploymentChangeFeed changes, CancellationToken cancellationToken)
    {
        var tenantScope = context.RequiredCaller().TenantScope();
        var errors = new Dictionary<string, string[]>();
        if (waitFor is not null && !DeploymentState.All.Contains(waitFor))
        {
            errors["wait_for"] = [$"wait_for must be one of: {string.Join(", ", DeploymentState.All)}."];
        }

        var timeout = DefaultWait;
        if (timeoutSeconds is not null)
        {
            if (int.TryParse(timeoutSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && seconds is >= 1 and <= MaxWaitSeconds)
            {
                timeout = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                errors["timeout_seconds"] = [$"timeout_seconds must be a whole number from 1 to {MaxWaitSeconds}."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var changed = changes.NextChange(id);
            var deployment = await store.GetAsync(id, tenantScope, cancellationToken);
            if (deployment is null)
            {
                return NotFound(id);
            }

            if (waitFor is null || DeploymentState.HasSettled(deployment.State, waitFor))
            {
                return TypedResults.Ok(DeploymentResponse.From(deployment));
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                changes.Release(id, changed);
                // Timed out: answer with the state as it is now.
                return TypedResults.Ok(DeploymentResponse.From(
                    await store.GetAsync(id, tenantScope, cancellationToken) ?? deployment));
            }
        }
    }

    private static async Task<IResult> ListAsync(string? state, string? limit, string? cursor,
        HttpContext context, DeploymentStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (state is not null && !DeploymentState.All.Contains(state))
        {
            errors["state"] = [$"state must be one of: {string.Join(", ", DeploymentState.All)}."];
        }

        var (pageSize, beforeId) = PageCursor.ParsePage(limit, cursor, DefaultPageSize, MaxPageSize, errors);

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query");
        }

        var rows = await store.ListAsync(context.RequiredCaller().TenantScope(), state, pageSize + 1, beforeId,
            cancellationToken);
        var page = rows.Take(pageSize).Select(DeploymentResponse.From).ToList();
        var next = rows.Count > pageSize ? PageCursor.Encode(page[^1].Id) : null;
        return TypedResults.Ok(new DeploymentPage(page, next));
    }

    private static async Task<IResult> DeleteAsync(long id, HttpContext context, DeploymentStore store,
        OutboxPublisher outbox, CancellationToken cancellationToken)
    {
        var result = await store.RequestCleanupAsync(id, cancellationToken,
            tenantScope: context.RequiredCaller().TenantScope());
        if (result is not var (deployment, message))
        {
            return NotFound(id);
        }

        if (message is not null)
        {
            await outbox.PublishOrLeaveToRelayAsync(message, cancellationToken);
        }

        return TypedResults.Accepted($"/api/deployments/{id}", DeploymentResponse.From(deployment));
    }

    private static ProblemHttpResult NotFound(long id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Deployment not found",
        detail: $"There is no deployment {id}.");
}
