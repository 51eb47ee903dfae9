namespace Sdp.Orchestrator.Api.Audit;

/// <summary>The class of a request's outcome, from its status code (the database derives the same).</summary>
public static class AuditOutcome
{
    public const string Succeeded = "succeeded";
    public const string Refused = "refused";
    public const string Failed = "failed";

    public static readonly string[] All = [Succeeded, Refused, Failed];

    public static string From(int statusCode) => statusCode switch
    {
        >= 500 => Failed,
        >= 400 => Refused,
        _ => Succeeded,
    };
}
