namespace Sdp.Contracts;

/// <summary>
/// The names of everything that belongs to one deployment. One definition, because the orchestrator
/// reports them, the provisioner creates them and the cleanup removes them.
/// </summary>
public sealed record CandidateResourceNames(long DeploymentId)
{
    public string DatabaseSchema => $"candidate_{DeploymentId}";
    public string DatabaseRole => $"candidate_{DeploymentId}";
    public string RedisUser => $"sub-{DeploymentId}";
    public string RedisPrefix => $"sub:{DeploymentId}:";
    public string ServiceId => $"sdp-sub-{DeploymentId}";
}
