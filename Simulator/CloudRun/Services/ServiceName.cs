namespace Sdp.Simulator.CloudRun.Services;

/// <summary><c>projects/{project}/locations/{location}/services/{serviceId}</c>.</summary>
public sealed record ServiceName(string Project, string Location, string ServiceId)
{
    public string Parent => LocationName(Project, Location);

    public string FullName => $"{Parent}/services/{ServiceId}";

    public static string LocationName(string project, string location) => $"projects/{project}/locations/{location}";

    public override string ToString() => FullName;
}
