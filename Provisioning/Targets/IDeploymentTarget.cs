namespace Sdp.Provisioning.Targets;

/// <summary>
/// Where candidate services run: Cloud Run in production, the Simulator's Cloud Run API locally,
/// Kubernetes later. Both operations are idempotent.
/// </summary>
public interface IDeploymentTarget
{
    /// <summary>
    /// Creates the service (or adopts it when it already exists with this id), waits until the target
    /// reports it Ready and returns its URL. Throws <see cref="DeploymentTargetException"/> with a
    /// reason fit to show a user when the target refuses or the service fails to become ready.
    /// </summary>
    Task<DeployedService> DeployAsync(CandidateServiceSpec spec, CancellationToken cancellationToken);

    /// <summary>Deletes the service and waits for the deletion; returns false when it did not exist.</summary>
    Task<bool> RemoveAsync(string serviceId, CancellationToken cancellationToken);
}

/// <summary>What to run for one deployment.</summary>
/// <param name="ServiceId">Target-side id, e.g. <c>sdp-sub-42</c>.</param>
/// <param name="Image">Container image, e.g. <c>sdp/url-shortener:latest</c>.</param>
/// <param name="Environment">Container environment (see <see cref="Sdp.Templates.Catalog.CandidateEnvironment"/>).</param>
/// <param name="Labels">Labels set on the service (<c>managed-by: sdp</c>, <c>sdp-deployment-id</c>).</param>
public sealed record CandidateServiceSpec(
    long DeploymentId,
    string ServiceId,
    string Image,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>A service the target reports Ready.</summary>
public sealed record DeployedService(string ServiceId, Uri Url);

public sealed class DeploymentTargetException(string message, Exception? innerException = null)
    : Exception(message, innerException);
