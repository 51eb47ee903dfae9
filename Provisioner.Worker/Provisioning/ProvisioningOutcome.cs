using Sdp.Contracts;

namespace Sdp.Provisioner.Worker.Provisioning;

/// <summary>How provisioning one deployment ended: Ready at a URL, or failed with a reason fit to show.</summary>
public sealed record ProvisioningOutcome(long DeploymentId, bool IsReady, Uri? EndpointUrl, ProvisioningTimings? Timings,
    string? Reason)
{
    public static ProvisioningOutcome Ready(long deploymentId, Uri endpointUrl, ProvisioningTimings timings) =>
        new(deploymentId, true, endpointUrl, timings, null);

    public static ProvisioningOutcome Failed(long deploymentId, string reason) =>
        new(deploymentId, false, null, null, reason);
}
