using System.ComponentModel.DataAnnotations;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// Section <c>Admission</c>: how many deployments may be live (queued, provisioning, ready or cleaning) at once,
/// and what <c>POST /api/deployments</c> does beyond that. Set <see cref="MaxLiveDeployments"/> to the service
/// capacity of the deployment target (the sum of the Cloud Run location pool's ceilings).
/// </summary>
public sealed class DeploymentAdmissionOptions
{
    public const string Section = "Admission";

    [Range(1, 10_000_000)]
    public int MaxLiveDeployments { get; set; } = 1000;

    /// <summary>
    /// <see cref="WhenFull.Queue"/> accepts the deployment and lets the provisioner wait for room;
    /// <see cref="WhenFull.Refuse"/> answers 503 with Retry-After and saves nothing.
    /// </summary>
    public WhenFull WhenFull { get; set; } = WhenFull.Queue;

    /// <summary>The Retry-After a refused request is given.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 30;
}

public enum WhenFull
{
    Queue,
    Refuse,
}
