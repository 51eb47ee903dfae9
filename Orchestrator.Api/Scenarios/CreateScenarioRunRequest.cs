using Sdp.Contracts;

namespace Sdp.Orchestrator.Api.Scenarios;

/// <summary>Body of <c>POST /api/deployments/{id}/scenarios</c> (snake_case JSON); every field optional.</summary>
public sealed record CreateScenarioRunRequest(ScenarioLoadRequest? Load, bool? CleanupAfterTest)
{
    public static CreateScenarioRunRequest Empty { get; } = new(null, null);

    /// <summary>Field errors keyed by the JSON path; empty when the request is well formed.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Load is not { } load)
        {
            return errors;
        }

        Check(errors, "load.requests_per_second", load.RequestsPerSecond, ScenarioLoad.MaxRequestsPerSecond);
        Check(errors, "load.duration_seconds", load.DurationSeconds, ScenarioLoad.MaxDurationSeconds);
        Check(errors, "load.concurrency", load.Concurrency, ScenarioLoad.MaxConcurrency);
        return errors;
    }

    /// <summary>The load to run: what was asked, the defaults for what was not.</summary>
    public ScenarioLoad ResolveLoad() => new(
        Load?.RequestsPerSecond ?? ScenarioLoad.Default.RequestsPerSecond,
        Load?.DurationSeconds ?? ScenarioLoad.Default.DurationSeconds,
        Load?.Concurrency ?? ScenarioLoad.Default.Concurrency);

    private static void Check(Dictionary<string, string[]> errors, string field, int? value, int max)
    {
        if (value is < 1 || value > max)
        {
            errors[field] = [$"{field} must be from 1 to {max}."];
        }
    }
}

public sealed record ScenarioLoadRequest(int? RequestsPerSecond, int? DurationSeconds, int? Concurrency);
