using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Sdp's own instruments on the <see cref="SdpTelemetry.MeterName"/> meter. Label sets are bounded on purpose:
/// <c>problem_type</c> (the template catalogue), <c>target</c> (the deployment target's kind), <c>outcome</c>
/// (<c>ready</c> or <c>failed</c>) and <c>state</c> (the deployment states); never a deployment id.
/// </summary>
public static class SdpMetrics
{
    public const string ProblemTypeTag = "problem_type";
    public const string TargetTag = "target";
    public const string OutcomeTag = "outcome";
    public const string StateTag = "state";

    public const string ReadyOutcome = "ready";
    public const string FailedOutcome = "failed";

    public const string DeploymentsCompletedName = "sdp.deployments.completed";
    public const string DeploymentDurationName = "sdp.deployment.duration";
    public const string ColdStartDurationName = "sdp.container.cold_start.duration";
    public const string DeploymentsByStateName = "sdp.deployments.current";

    /// <summary>Seconds; spans a warm local deployment (tens of ms) to the 60 s deadline and past it.</summary>
    private static readonly double[] DurationBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    public static readonly Meter Meter = new(SdpTelemetry.MeterName);

    /// <summary>Deployments that reached <c>ready</c> or <c>failed</c>; the success rate is ready over all.</summary>
    public static readonly Counter<long> DeploymentsCompleted = Meter.CreateCounter<long>(
        DeploymentsCompletedName, "{deployment}", "Deployments that finished provisioning, by outcome.");

    /// <summary>From the API accepting the deployment to its outcome.</summary>
    public static readonly Histogram<double> DeploymentDuration = Meter.CreateHistogram(
        DeploymentDurationName, "s", "Time from a deployment being accepted to it being ready or failed.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    /// <summary>From asking the target for the service to the service's first healthy answer.</summary>
    public static readonly Histogram<double> ColdStartDuration = Meter.CreateHistogram(
        ColdStartDurationName, "s", "Time from asking the target for a candidate's service to its first healthy answer.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
}
