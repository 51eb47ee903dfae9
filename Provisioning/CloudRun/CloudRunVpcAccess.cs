namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// <c>google.cloud.run.v2.VpcAccess</c> with Direct VPC egress (network interfaces, no connector): how a
/// candidate reaches Memorystore and Cloud SQL private IPs.
/// </summary>
public sealed record CloudRunVpcAccess(IReadOnlyList<CloudRunNetworkInterface> NetworkInterfaces, string? Egress);

/// <summary><c>google.cloud.run.v2.VpcAccess.NetworkInterface</c>.</summary>
public sealed record CloudRunNetworkInterface(string? Network, string? Subnetwork);
