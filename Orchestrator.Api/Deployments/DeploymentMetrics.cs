using System.Diagnostics.Metrics;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// Deployment lifecycle instruments on the <c>Sdp</c> meter. Labels are bounded: <c>state</c> takes the six
/// deployment states, <c>problem_type</c> the catalogue's templates, <c>start</c> warm or cold. Deployments by state are <c>sdp.deployments.current</c> (DeploymentStateGauge).
/// </summary>
public sealed class DeploymentMetrics
{
    private readonly Counter<long> expired;
    private readonly Counter<long> retried;
    private readonly Counter<long> stuckFailed;
    private readonly Counter<long> accepted;

    public DeploymentMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SdpTelemetry.MeterName);
        expired = meter.CreateCounter<long>("sdp.deployments.expired", unit: "{deployment}",
            description: "Deployments whose time to live ran out and whose cleanup was requested.");
        retried = meter.CreateCounter<long>("sdp.deployments.retried", unit: "{deployment}",
            description: "Stuck deployments whose step was requested again, by the state they were stuck in.");
        stuckFailed = meter.CreateCounter<long>("sdp.deployments.stuck_failed", unit: "{deployment}",
            description: "Deployments failed after their retries ran out, by the state they were stuck in.");
        accepted = meter.CreateCounter<long>("sdp.deployments.accepted", unit: "{deployment}",
            description: "Deployments accepted, by problem type and start: warm (a standby slot claimed) or cold (built on request).");
    }

    public void Expired(int count) => expired.Add(count);

    public void Retried(string state) => retried.Add(1, new KeyValuePair<string, object?>("state", state));

    /// <summary>The pool's hit rate is warm / (warm + cold): what a pool's size is judged by.</summary>
    public void Accepted(string problemType, bool warm) => accepted.Add(1,
        new KeyValuePair<string, object?>(SdpMetrics.ProblemTypeTag, problemType),
        new KeyValuePair<string, object?>("start", warm ? "warm" : "cold"));

    public void StuckFailed(string state) => stuckFailed.Add(1, new KeyValuePair<string, object?>("state", state));
}
