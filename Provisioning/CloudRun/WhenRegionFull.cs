namespace Sdp.Provisioning.CloudRun;

/// <summary>What a deploy does when its region already holds <see cref="CloudRunOptions.MaxServicesPerRegion"/> services.</summary>
public enum WhenRegionFull
{
    /// <summary>Wait (within the deploy's deadline) until cleanup frees a slot.</summary>
    Wait,

    /// <summary>Fail at once with a <c>DeploymentTargetException</c>.</summary>
    Refuse,
}
