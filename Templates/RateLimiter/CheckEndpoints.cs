using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.RateLimiter;

/// <summary><c>POST /api/check</c>: 200 when allowed, 429 when denied, the same body and rate-limit headers on both.</summary>
internal static class CheckEndpoints
{
    public const int MaxKeyLength = 200;

    public static IEndpointRouteBuilder MapCheckEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/check", CheckAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<CheckResponse>, JsonHttpResult<CheckResponse>, ValidationProblem, ProblemHttpResult>> CheckAsync(
        CheckRequest? request, RuleCache rules, IRateLimiter limiter, HttpResponse response, CancellationToken cancellationToken)
    {
        var key = request?.Key;
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
        {
            return ApiProblems.Invalid("key", $"key is required: 1 to {MaxKeyLength} characters.");
        }

        var ruleName = request!.Rule ?? RateLimitRule.DefaultName;
        if (!RateLimitRule.IsValidName(ruleName))
        {
            return ApiProblems.Invalid("rule", "rule must be 1 to 64 characters of a-z, 0-9, '_' and '-'.");
        }

        var rule = await rules.FindAsync(ruleName, cancellationToken);
        if (rule is null)
        {
            return RuleEndpoints.NotFound(ruleName);
        }

        var cost = request.Cost ?? 1;
        if (cost < 1 || cost > rule.Limit)
        {
            return ApiProblems.Invalid("cost", $"cost must be from 1 to the rule's limit ({rule.Limit}).");
        }

        var decision = await limiter.CheckAsync(rule, key, (int)cost, cancellationToken);
        var resetSeconds = (long)Math.Ceiling(decision.ResetAfter.TotalSeconds);
        // A denied caller waits at least a second: Retry-After has whole seconds only.
        var retryAfterSeconds = decision.Allowed ? 0 : Math.Max(1, resetSeconds);

        response.Headers["X-RateLimit-Limit"] = rule.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Reset"] = (decision.Allowed ? resetSeconds : retryAfterSeconds).ToString(CultureInfo.InvariantCulture);
        var body = new CheckResponse(decision.Allowed, rule.Limit, decision.Remaining, retryAfterSeconds, rule.Name, key);
        if (decision.Allowed)
        {
            return TypedResults.Ok(body);
        }

        response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(body, statusCode: StatusCodes.Status429TooManyRequests);
    }
}
