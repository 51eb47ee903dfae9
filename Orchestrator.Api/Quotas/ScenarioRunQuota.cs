namespace Sdp.Orchestrator.Api.Quotas;

/// <summary>Whether a tenant may start one more scenario run.</summary>
public static class ScenarioRunQuota
{
    /// <param name="limit">The tenant's scenario runs in flight quota.</param>
    /// <param name="inFlight">The tenant's runs queued or running.</param>
    /// <param name="expectedEnd">When the first of those is expected to end; null when none is in flight.</param>
    public static QuotaExceeded? Check(int limit, long inFlight, DateTimeOffset? expectedEnd) =>
        inFlight >= limit
            ? new QuotaExceeded(QuotaExceeded.ScenarioRunsInFlight, limit, expectedEnd,
                "Room frees when one of the tenant's runs completes; frees_at is when the oldest is expected to.")
            : null;
}
