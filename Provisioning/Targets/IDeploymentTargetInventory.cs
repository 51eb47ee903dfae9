namespace Sdp.Provisioning.Targets;

/// <summary>What actually runs on the deployment target: the services labelled as Sdp's, for reconciliation.</summary>
public interface IDeploymentTargetInventory
{
    /// <summary>
    /// Every service the target holds (in every location deploys go to) that carries Sdp's <c>managed-by</c> label
    /// and a deployment id.
    /// </summary>
    Task<IReadOnlyList<TargetService>> ListSdpServicesAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A service on the target and the deployment it was created for, with its condition and the URLs it answers at
/// (none while it is not serving).
/// </summary>
public sealed record TargetService(string ServiceId, long DeploymentId, TargetServiceCondition Condition,
    IReadOnlyList<Uri> Urls);

/// <summary>Where a service is, as the target reports it.</summary>
public enum TargetServiceCondition
{
    /// <summary>Being created, updated, deleted or brought back (after a restart of the target): wait and see.</summary>
    Reconciling,

    /// <summary>Serving at its URLs.</summary>
    Ready,

    /// <summary>Settled and not serving: its revision failed and the target gave up.</summary>
    Failed,
}
