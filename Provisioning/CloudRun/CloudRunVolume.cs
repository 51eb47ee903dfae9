namespace Sdp.Provisioning.CloudRun;

/// <summary><c>google.cloud.run.v2.Volume</c>; Sdp uses only the Cloud SQL kind.</summary>
public sealed record CloudRunVolume(string Name, CloudRunCloudSqlInstance? CloudSqlInstance);

/// <summary><c>google.cloud.run.v2.CloudSqlInstance</c>: connection names <c>project:region:instance</c>.</summary>
public sealed record CloudRunCloudSqlInstance(IReadOnlyList<string> Instances);

/// <summary><c>google.cloud.run.v2.VolumeMount</c>.</summary>
public sealed record CloudRunVolumeMount(string Name, string MountPath);
