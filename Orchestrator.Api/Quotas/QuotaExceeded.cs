using System.Globalization;

namespace Sdp.Orchestrator.Api.Quotas;

/// <summary>
/// A request refused because the tenant is at one of its quotas: which one, its limit, and when room is expected
/// (null when only the tenant's own action frees it).
/// </summary>
public sealed record QuotaExceeded(string Quota, int Limit, DateTimeOffset? FreesAt, string HowItFrees)
{
    public const string LiveDeployments = "live_deployments";
    public const string DeploymentsPerHour = "deployments_per_hour";
    public const string ScenarioRunsInFlight = "scenario_runs_in_flight";

    /// <summary>
    /// Whole seconds from <paramref name="now"/> until room frees, rounded up and at least 1 (a client told 0 would
    /// retry at once and be refused again); null when no time is known.
    /// </summary>
    public int? RetryAfterSeconds(DateTimeOffset now) =>
        FreesAt is { } freesAt ? Math.Max(1, (int)Math.Ceiling((freesAt - now).TotalSeconds)) : null;

    /// <summary>429 with Retry-After (seconds until <see cref="FreesAt"/>, at least 1) and a problem body.</summary>
    public IResult ToProblem(HttpContext context, TimeProvider time)
    {
        var detail = $"The tenant is at its {Quota.Replace('_', ' ')} quota ({Limit}). {HowItFrees}";
        var extensions = new Dictionary<string, object?>
        {
            ["quota"] = Quota,
            ["limit"] = Limit,
            ["frees_at"] = FreesAt,
        };
        if (RetryAfterSeconds(time.GetUtcNow()) is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            extensions["retry_after_seconds"] = seconds;
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Quota exceeded",
            detail: detail, extensions: extensions);
    }
}
