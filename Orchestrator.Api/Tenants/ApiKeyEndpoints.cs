using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Sdp.Orchestrator.Api.Audit;
using Sdp.Orchestrator.Api.Auth;
using Sdp.Orchestrator.Api.Http;

namespace Sdp.Orchestrator.Api.Tenants;

public static class ApiKeyEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/admin/keys").WithTags("API keys").RequireAuthorization(AuthPolicies.Admin);

        keys.MapPost("/", CreateAsync)
            .WithSummary("Create an API key; its secret is in this response only")
            .Audited("api_key.create", created: "api_key")
            .Accepts<CreateApiKeyRequest>("application/json")
            .Produces<ApiKeyResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        keys.MapGet("/", ListAsync)
            .WithSummary("API keys, newest first, without secrets; tenant_id narrows to one tenant")
            .Produces<ApiKeyList>();

        keys.MapDelete("/{id:guid}", RevokeAsync)
            .WithSummary("Revoke an API key for good")
            .Audited("api_key.revoke", target: "api_key:{id}")
            .Produces<ApiKeyResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ApiKeyStore store,
        IOptions<JsonOptions> json, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateApiKeyRequest>(request, json.Value.SerializerOptions,
            MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = body!.Validate(time.GetUtcNow());
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid API key request");
        }

        if (await store.CreateAsync(body, cancellationToken) is not var (key, secret))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["tenant_id"] = [$"There is no tenant {body.TenantId}."] },
                title: "Invalid API key request");
        }

        // The secret is never stored: this response is the only place it appears.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/admin/keys/{key.Id}", ApiKeyResponse.From(key, secret));
    }

    private static async Task<IResult> ListAsync(Guid? tenantId, ApiKeyStore store,
        CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(tenantId, cancellationToken);
        return TypedResults.Ok(new ApiKeyList([.. keys.Select(k => ApiKeyResponse.From(k))]));
    }

    private static async Task<IResult> RevokeAsync(Guid id, ApiKeyStore store, CancellationToken cancellationToken) =>
        await store.RevokeAsync(id, cancellationToken) is { } key
            ? TypedResults.Ok(ApiKeyResponse.From(key))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "API key not found",
                detail: $"There is no API key {id}.");
}
