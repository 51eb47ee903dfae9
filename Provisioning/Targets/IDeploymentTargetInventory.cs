namespace Sdp.Provisioning.Targets;

/// <summary>What actually runs on the deployment target: the services labelled as Sdp's, for reconciliation.</summary>
public interface IDeploymentTargetInventory
{
    /// <summary>Every service the target holds that carries Sdp's <c>managed-by</c> label and a deployment id.</summary>
    Task<IReadOnlyList<TargetService>> ListSdpServicesAsync(CancellationToken cancellationToken);
}

/// <summary>A service on the target and the deployment it was created for.</summary>
public sealed record TargetService(string ServiceId, long DeploymentId);
