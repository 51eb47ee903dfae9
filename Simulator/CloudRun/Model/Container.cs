using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sdp.Simulator.CloudRun.Model;

/// <summary><c>google.cloud.run.v2.Container</c>. Fields the Simulator does not interpret stay in <see cref="OtherFields"/>.</summary>
public sealed record Container
{
    public string? Name { get; init; }
    public string? Image { get; init; }
    public IReadOnlyList<EnvVar>? Env { get; init; }
    public ResourceRequirements? Resources { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherFields { get; init; }
}

/// <summary><c>google.cloud.run.v2.EnvVar</c>: a literal <see cref="Value"/> or a Secret Manager <see cref="ValueSource"/>.</summary>
public sealed record EnvVar
{
    public string? Name { get; init; }
    public string? Value { get; init; }
    public JsonElement? ValueSource { get; init; }
}

/// <summary><c>google.cloud.run.v2.ResourceRequirements</c>.</summary>
public sealed record ResourceRequirements
{
    public IReadOnlyDictionary<string, string>? Limits { get; init; }
    public bool? CpuIdle { get; init; }
    public bool? StartupCpuBoost { get; init; }
}
