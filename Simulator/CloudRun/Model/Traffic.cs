using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sdp.Simulator.CloudRun.Model;

/// <summary><c>google.cloud.run.v2.TrafficTarget</c>.</summary>
public sealed record TrafficTarget
{
    public TrafficTargetAllocationType? Type { get; init; }
    public string? Revision { get; init; }
    public int? Percent { get; init; }
    public string? Tag { get; init; }
}

/// <summary><c>google.cloud.run.v2.TrafficTargetStatus</c>.</summary>
public sealed record TrafficTargetStatus
{
    public TrafficTargetAllocationType? Type { get; init; }
    public string? Revision { get; init; }
    public int? Percent { get; init; }
    public string? Tag { get; init; }
    public string? Uri { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherFields { get; init; }
}

public enum TrafficTargetAllocationType
{
    [JsonStringEnumMemberName("TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED")] Unspecified = 0,
    [JsonStringEnumMemberName("TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST")] Latest = 1,
    [JsonStringEnumMemberName("TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION")] Revision = 2,
}

public enum IngressTraffic
{
    [JsonStringEnumMemberName("INGRESS_TRAFFIC_UNSPECIFIED")] Unspecified = 0,
    [JsonStringEnumMemberName("INGRESS_TRAFFIC_ALL")] All = 1,
    [JsonStringEnumMemberName("INGRESS_TRAFFIC_INTERNAL_ONLY")] InternalOnly = 2,
    [JsonStringEnumMemberName("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")] InternalLoadBalancer = 3,
    [JsonStringEnumMemberName("INGRESS_TRAFFIC_NONE")] None = 4,
}

/// <summary><c>google.api.LaunchStage</c>.</summary>
public enum LaunchStage
{
    [JsonStringEnumMemberName("LAUNCH_STAGE_UNSPECIFIED")] Unspecified = 0,
    [JsonStringEnumMemberName("EARLY_ACCESS")] EarlyAccess = 1,
    [JsonStringEnumMemberName("ALPHA")] Alpha = 2,
    [JsonStringEnumMemberName("BETA")] Beta = 3,
    [JsonStringEnumMemberName("GA")] Ga = 4,
    [JsonStringEnumMemberName("DEPRECATED")] Deprecated = 5,
    [JsonStringEnumMemberName("UNIMPLEMENTED")] Unimplemented = 6,
    [JsonStringEnumMemberName("PRELAUNCH")] Prelaunch = 7,
}
