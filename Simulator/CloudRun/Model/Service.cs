using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sdp.Simulator.CloudRun.Model;

/// <summary>
/// <c>google.cloud.run.v2.Service</c> in its JSON form. Fields the Simulator does not interpret are kept in
/// <see cref="OtherFields"/> and returned as given, as Cloud Run returns what it was sent.
/// </summary>
public sealed record Service
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Uid { get; init; }

    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long? Generation { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public DateTimeOffset? CreateTime { get; init; }
    public DateTimeOffset? UpdateTime { get; init; }
    public DateTimeOffset? DeleteTime { get; init; }
    public DateTimeOffset? ExpireTime { get; init; }
    public string? Creator { get; init; }
    public string? LastModifier { get; init; }
    public string? Client { get; init; }
    public string? ClientVersion { get; init; }
    public IngressTraffic? Ingress { get; init; }
    public LaunchStage? LaunchStage { get; init; }
    public RevisionTemplate? Template { get; init; }
    public IReadOnlyList<TrafficTarget>? Traffic { get; init; }
    public ServiceScaling? Scaling { get; init; }
    public bool? InvokerIamDisabled { get; init; }
    public bool? DefaultUriDisabled { get; init; }
    public IReadOnlyList<string>? Urls { get; init; }
    public IReadOnlyList<string>? CustomAudiences { get; init; }

    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long? ObservedGeneration { get; init; }

    public Condition? TerminalCondition { get; init; }
    public IReadOnlyList<Condition>? Conditions { get; init; }
    public string? LatestReadyRevision { get; init; }
    public string? LatestCreatedRevision { get; init; }
    public IReadOnlyList<TrafficTargetStatus>? TrafficStatuses { get; init; }
    public string? Uri { get; init; }
    public bool? SatisfiesPzs { get; init; }
    public bool? Reconciling { get; init; }
    public string? Etag { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherFields { get; init; }
}
