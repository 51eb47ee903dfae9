using System.Globalization;
using Sdp.Orchestrator.Api.Deployments;

namespace Sdp.Orchestrator.Api.Audit;

/// <summary>The filters of <c>GET /api/admin/audit</c>, validated; every one optional.</summary>
public sealed record AuditQuery(
    Guid? TenantId,
    Guid? ActorKeyId,
    string? Action,
    int? StatusCode,
    string? Outcome,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Limit,
    long? BeforeId)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    private const int MaxActionLength = 200;

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>The query, or the errors by parameter name (for a 400 validation problem).</summary>
    public static (AuditQuery? Query, Dictionary<string, string[]> Errors) Parse(string? tenantId, string? actorKeyId,
        string? action, string? outcome, string? from, string? to, string? limit, string? cursor)
    {
        var errors = new Dictionary<string, string[]>();
        var tenant = ParseGuid("tenant_id", tenantId, errors);
        var actor = ParseGuid("actor_key_id", actorKeyId, errors);

        if (action is not null && (action.Length is 0 or > MaxActionLength))
        {
            errors["action"] = [$"action must be 1 to {MaxActionLength} characters."];
        }

        int? statusCode = null;
        string? outcomeClass = null;
        if (outcome is not null)
        {
            if (int.TryParse(outcome, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                && code is >= 100 and <= 599)
            {
                statusCode = code;
            }
            else if (AuditOutcome.All.Contains(outcome))
            {
                outcomeClass = outcome;
            }
            else
            {
                errors["outcome"] = [$"outcome must be an HTTP status code (100-599) or one of: {string.Join(", ", AuditOutcome.All)}."];
            }
        }

        var fromTime = ParseTime("from", from, errors);
        var toTime = ParseTime("to", to, errors);
        if (fromTime > toTime)
        {
            errors["to"] = ["to must not be before from."];
        }

        var (pageSize, beforeId) = PageCursor.ParsePage(limit, cursor, DefaultLimit, MaxLimit, errors);

        return errors.Count > 0
            ? (null, errors)
            : (new AuditQuery(tenant, actor, action, statusCode, outcomeClass, fromTime, toTime, pageSize, beforeId), errors);
    }

    private static Guid? ParseGuid(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (Guid.TryParse(value, out var id))
        {
            return id;
        }

        errors[name] = [$"{name} must be a UUID."];
        return null;
    }

    /// <summary>ISO 8601 (a date, or a date and time with an optional offset; none means UTC).</summary>
    private static DateTimeOffset? ParseTime(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(value, TimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors[name] = [$"{name} must be an ISO 8601 date or time, e.g. 2025-01-31 or 2025-01-31T12:00:00Z."];
        return null;
    }
}
