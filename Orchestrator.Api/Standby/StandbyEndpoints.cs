using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Sdp.Orchestrator.Api.Audit;
using Sdp.Orchestrator.Api.Auth;
using Sdp.Orchestrator.Api.Http;
using Sdp.Templates.Catalog;

namespace Sdp.Orchestrator.Api.Standby;

public static class StandbyEndpoints
{
    private const long MaxBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapStandbyEndpoints(this IEndpointRouteBuilder app)
    {
        var standby = app.MapGroup("/api/admin/standby").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        standby.MapGet("/", ListAsync)
            .WithSummary("Each template's standby pool: its size and its slots ready (built and answering), " +
                         "not answering, being built, failed and being removed")
            .Produces<StandbyPoolList>();

        standby.MapPut("/{problemType}", ResizeAsync)
            .WithSummary("Set a template's standby pool size; slots are built or removed to match")
            .Audited("standby.resize", target: "standby:{problemType}")
            .Accepts<ResizeStandbyPoolRequest>("application/json")
            .Produces<StandbyPoolStatus>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<IResult> ListAsync(StandbyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new StandbyPoolList(await store.ListAsync(cancellationToken)));

    private static async Task<IResult> ResizeAsync(string problemType, HttpRequest request, StandbyStore store,
        StandbyRefiller refiller, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        if (TemplateCatalog.Find(problemType) is not { RequiresServiceSpec: false })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Template not found",
                detail: $"There is no standby pool for '{problemType}'. Templates with one: " +
                        string.Join(", ", TemplateCatalog.Prebuildable.Select(t => t.ProblemType)) + ".");
        }

        var (body, problem) = await JsonBody.ReadAsync<ResizeStandbyPoolRequest>(request, json.Value.SerializerOptions,
            MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Size is not (>= 0 and <= StandbyOptions.MaxPoolSize))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["size"] = [$"size must be a whole number from 0 to {StandbyOptions.MaxPoolSize}."],
            }, title: "Invalid standby pool size");
        }

        var pool = await store.ResizeAsync(problemType, body.Size.Value, cancellationToken);
        refiller.PoolsChanged();
        return TypedResults.Ok(pool);
    }
}

public sealed record ResizeStandbyPoolRequest(int? Size);

public sealed record StandbyPoolList(IReadOnlyList<StandbyPoolStatus> Pools);
