namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// One project and region candidate services may run in (<c>CloudRun:Locations:N</c>). Several form one pool:
/// a deploy goes to the location with the most room, so capacity beyond one region's service quota is a
/// configuration change.
/// </summary>
public sealed class CloudRunLocation
{
    public string Project { get; set; } = "";

    public string Region { get; set; } = "";

    /// <summary>This location's service ceiling; <see cref="CloudRunOptions.MaxServicesPerRegion"/> when unset.</summary>
    public int? MaxServices { get; set; }

    /// <summary><c>projects/{Project}/locations/{Region}</c>.</summary>
    public string Parent => $"projects/{Project}/locations/{Region}";

    public override string ToString() => Parent;
}
