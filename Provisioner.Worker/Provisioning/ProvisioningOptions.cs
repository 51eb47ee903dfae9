using System.ComponentModel.DataAnnotations;

namespace Sdp.Provisioner.Worker.Provisioning;

/// <summary>Section <c>Provisioning</c>.</summary>
public sealed class ProvisioningOptions
{
    public const string Section = "Provisioning";

    /// <summary>A deployment not Ready by then fails and everything created for it is removed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long removing a failed deployment's leftovers may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TeardownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deployments one worker builds at the same time.</summary>
    [Range(1, 256)]
    public int ConcurrentDeployments { get; set; } = 32;
}
