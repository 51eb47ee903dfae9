using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sdp.Simulator.CloudRun.Model;

/// <summary><c>google.cloud.run.v2.RevisionTemplate</c>: what each revision of a service runs.</summary>
public sealed record RevisionTemplate
{
    public string? Revision { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public RevisionScaling? Scaling { get; init; }
    public string? Timeout { get; init; }
    public string? ServiceAccount { get; init; }
    public IReadOnlyList<Container>? Containers { get; init; }
    public int? MaxInstanceRequestConcurrency { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherFields { get; init; }
}

/// <summary><c>google.cloud.run.v2.RevisionScaling</c>.</summary>
public sealed record RevisionScaling
{
    public int? MinInstanceCount { get; init; }
    public int? MaxInstanceCount { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherFields { get; init; }
}

/// <summary><c>google.cloud.run.v2.ServiceScaling</c>.</summary>
public sealed record ServiceScaling
{
    public int? MinInstanceCount { get; init; }
    public int? MaxInstanceCount { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherFields { get; init; }
}
