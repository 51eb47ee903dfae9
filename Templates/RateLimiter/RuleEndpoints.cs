using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.RateLimiter;

/// <summary><c>/api/rules</c>: create, list, read, change and delete rules.</summary>
internal static class RuleEndpoints
{
    public static IEndpointRouteBuilder MapRuleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var rules = endpoints.MapGroup("/api/rules");
        rules.MapPost("/", CreateAsync);
        rules.MapGet("/", ListAsync);
        rules.MapGet("/{name}", GetAsync);
        rules.MapPut("/{name}", UpdateAsync);
        rules.MapDelete("/{name}", DeleteAsync);
        return endpoints;
    }

    private static async Task<Results<Created<RuleResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateRuleRequest? request, RuleStore store, RuleCache cache, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!RateLimitRule.IsValidName(request?.Name))
        {
            errors["name"] = "name is required: 1 to 64 characters of a-z, 0-9, '_' and '-'.";
        }

        AddIfInvalid(errors, "limit", RateLimitRule.ValidateLimit(request?.Limit));
        AddIfInvalid(errors, "window_seconds", RateLimitRule.ValidateWindow(request?.WindowSeconds));
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var name = request!.Name!;
        var rule = await store.TryCreateAsync(name, (int)request.Limit!.Value, (int)request.WindowSeconds!.Value, cancellationToken);
        if (rule is null)
        {
            return ApiProblems.Conflict("Rule exists", $"A rule named '{name}' exists already; change it with PUT /api/rules/{name}.");
        }

        cache.Invalidate(name);
        return TypedResults.Created($"/api/rules/{name}", rule.ToResponse());
    }

    private static async Task<Ok<RuleList>> ListAsync(RuleStore store, CancellationToken cancellationToken)
    {
        var rules = await store.ListAsync(cancellationToken);
        return TypedResults.Ok(new RuleList([.. rules.Select(rule => rule.ToResponse())]));
    }

    private static async Task<Results<Ok<RuleResponse>, ProblemHttpResult>> GetAsync(
        string name, RuleStore store, CancellationToken cancellationToken)
    {
        var rule = RateLimitRule.IsValidName(name) ? await store.FindAsync(name, cancellationToken) : null;
        return rule is null ? NotFound(name) : TypedResults.Ok(rule.ToResponse());
    }

    private static async Task<Results<Ok<RuleResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string name, UpdateRuleRequest? request, RuleStore store, RuleCache cache, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        AddIfInvalid(errors, "limit", RateLimitRule.ValidateLimit(request?.Limit));
        AddIfInvalid(errors, "window_seconds", RateLimitRule.ValidateWindow(request?.WindowSeconds));
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var rule = RateLimitRule.IsValidName(name)
            ? await store.TryUpdateAsync(name, (int)request!.Limit!.Value, (int)request.WindowSeconds!.Value, cancellationToken)
            : null;
        if (rule is null)
        {
            return NotFound(name);
        }

        cache.Invalidate(name);
        return TypedResults.Ok(rule.ToResponse());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string name, RuleStore store, RuleCache cache, CancellationToken cancellationToken)
    {
        if (!RateLimitRule.IsValidName(name) || !await store.DeleteAsync(name, cancellationToken))
        {
            return NotFound(name);
        }

        cache.Invalidate(name);
        return TypedResults.NoContent();
    }

    internal static ProblemHttpResult NotFound(string name) =>
        ApiProblems.NotFound("Rule not found", $"No rule is named '{name}'.");

    private static void AddIfInvalid(Dictionary<string, string> errors, string field, string? problem)
    {
        if (problem is not null)
        {
            errors[field] = problem;
        }
    }
}
