using Sdp.Orchestrator.Api.Deployments;
using FromQueryAttribute = Microsoft.AspNetCore.Mvc.FromQueryAttribute;

namespace Sdp.Orchestrator.Api.Audit;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/audit", ListAsync)
            .WithTags("Admin")
            .WithSummary("The audit log, newest first: who changed what, and how it ended; filter by tenant, key, action, outcome and time")
            .Produces<AuditPage>()
            .ProducesValidationProblem()
            .RequireAuthorization("admin");
        return app;
    }

    private static async Task<IResult> ListAsync(
        [FromQuery(Name = "tenant_id")] string? tenantId,
        [FromQuery(Name = "actor_key_id")] string? actorKeyId,
        string? action, string? outcome, string? from, string? to, string? limit, string? cursor,
        AuditLog log, CancellationToken cancellationToken)
    {
        var (query, errors) = AuditQuery.Parse(tenantId, actorKeyId, action, outcome, from, to, limit, cursor);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query");
        }

        var rows = await log.ListAsync(query, cancellationToken);
        var page = rows.Take(query.Limit).Select(AuditEntryResponse.From).ToList();
        var next = rows.Count > query.Limit ? PageCursor.Encode(page[^1].Id) : null;
        return TypedResults.Ok(new AuditPage(page, next));
    }
}
