using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Sdp.Orchestrator.Api.Audit;
using Sdp.Orchestrator.Api.Auth;
using Sdp.Orchestrator.Api.Http;
using Sdp.Orchestrator.Api.Quotas;

namespace Sdp.Orchestrator.Api.Tenants;

public static class TenantEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapTenantEndpoints(this IEndpointRouteBuilder app)
    {
        var tenants = app.MapGroup("/api/admin/tenants").WithTags("Tenants")
            .RequireAuthorization(AuthPolicies.Admin);

        tenants.MapPost("/", CreateAsync)
            .WithSummary("Create a tenant, optionally with its own quotas")
            .Audited("tenant.create", created: "tenant")
            .Accepts<CreateTenantRequest>("application/json")
            .Produces<TenantResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        tenants.MapGet("/", ListAsync).WithSummary("Every tenant, by name").Produces<TenantList>();

        tenants.MapGet("/{id:guid}", GetAsync)
            .WithSummary("A tenant, its quotas in effect and what it uses of each now")
            .Produces<TenantResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        tenants.MapPut("/{id:guid}/quotas", SetQuotasAsync)
            .WithSummary("Replace a tenant's own quotas; null ones follow the defaults")
            .Audited("tenant.quotas.update", target: "tenant:{id}")
            .Accepts<QuotaOverrides>("application/json")
            .Produces<TenantResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/tenant", GetOwnAsync).WithTags("Tenants")
            .RequireAuthorization(AuthPolicies.Tenant)
            .WithSummary("The caller's own tenant: its quotas and what it uses of each now")
            .Produces<TenantResponse>();

        return app;
    }

    private static async Task<IResult> GetOwnAsync(HttpContext context, TenantStore store,
        IOptions<TenantQuotaOptions> defaults, CancellationToken cancellationToken)
    {
        var id = context.RequiredCaller().TenantId ?? throw new InvalidOperationException("A tenant key has a tenant.");
        var tenant = await store.GetAsync(id, cancellationToken)
            ?? throw new InvalidOperationException($"Tenant {id} of an authenticated key does not exist.");
        return TypedResults.Ok(TenantResponse.From(tenant, defaults.Value, await store.GetUsageAsync(id, cancellationToken)));
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, TenantStore store,
        IOptions<JsonOptions> json, IOptions<TenantQuotaOptions> defaults, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateTenantRequest>(request, json.Value.SerializerOptions,
            MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = body!.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid tenant");
        }

        var name = body.Name!.Trim();
        var tenant = await store.CreateAsync(name, body.Quotas ?? new QuotaOverrides(), cancellationToken);
        return tenant is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Tenant exists",
                detail: $"A tenant named '{name}' exists already.")
            : TypedResults.Created($"/api/admin/tenants/{tenant.Id}", TenantResponse.From(tenant, defaults.Value));
    }

    private static async Task<IResult> ListAsync(TenantStore store, IOptions<TenantQuotaOptions> defaults,
        CancellationToken cancellationToken)
    {
        var tenants = await store.ListAsync(cancellationToken);
        return TypedResults.Ok(new TenantList([.. tenants.Select(t => TenantResponse.From(t, defaults.Value))]));
    }

    private static async Task<IResult> GetAsync(Guid id, TenantStore store, IOptions<TenantQuotaOptions> defaults,
        CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } tenant
            ? TypedResults.Ok(TenantResponse.From(tenant, defaults.Value, await store.GetUsageAsync(id, cancellationToken)))
            : NotFound(id);

    private static async Task<IResult> SetQuotasAsync(Guid id, HttpRequest request, TenantStore store,
        IOptions<JsonOptions> json, IOptions<TenantQuotaOptions> defaults, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<QuotaOverrides>(request, json.Value.SerializerOptions,
            MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        body!.Validate(errors, "");
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid quotas");
        }

        return await store.SetQuotasAsync(id, body, cancellationToken) is { } tenant
            ? TypedResults.Ok(TenantResponse.From(tenant, defaults.Value))
            : NotFound(id);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Tenant not found", detail: $"There is no tenant {id}.");
}
