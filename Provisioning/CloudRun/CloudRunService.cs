using System.Text.Json.Serialization;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// The fields of <c>google.cloud.run.v2.Service</c> Sdp sends or reads, named as in Google.Cloud.Run.V2.
/// Unknown fields in responses are ignored, so newer API versions do not break the client.
/// </summary>
public sealed record CloudRunService
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Uid { get; init; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public long? Generation { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public DateTimeOffset? CreateTime { get; init; }
    public DateTimeOffset? UpdateTime { get; init; }
    public DateTimeOffset? DeleteTime { get; init; }
    public string? Ingress { get; init; }
    public CloudRunRevisionTemplate? Template { get; init; }
    public CloudRunServiceScaling? Scaling { get; init; }
    public bool? InvokerIamDisabled { get; init; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public long? ObservedGeneration { get; init; }

    public CloudRunCondition? TerminalCondition { get; init; }
    public IReadOnlyList<CloudRunCondition>? Conditions { get; init; }
    public string? LatestReadyRevision { get; init; }
    public string? LatestCreatedRevision { get; init; }
    public string? Uri { get; init; }
    public IReadOnlyList<string>? Urls { get; init; }
    public bool? Reconciling { get; init; }
    public string? Etag { get; init; }

    /// <summary>Ready: reconciliation is over and the Ready condition succeeded.</summary>
    [JsonIgnore]
    public bool IsReady => Reconciling != true && TerminalCondition?.State == CloudRunConditionState.Succeeded;

    /// <summary>Reconciliation is over and the Ready condition failed.</summary>
    [JsonIgnore]
    public bool HasFailed => Reconciling != true && TerminalCondition?.State == CloudRunConditionState.Failed;
}

/// <summary><c>google.cloud.run.v2.RevisionTemplate</c>.</summary>
public sealed record CloudRunRevisionTemplate
{
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public CloudRunRevisionScaling? Scaling { get; init; }
    public string? ServiceAccount { get; init; }
    public string? Timeout { get; init; }
    public int? MaxInstanceRequestConcurrency { get; init; }
    public CloudRunVpcAccess? VpcAccess { get; init; }
    public IReadOnlyList<CloudRunContainer>? Containers { get; init; }
    public IReadOnlyList<CloudRunVolume>? Volumes { get; init; }
}

/// <summary><c>google.cloud.run.v2.Container</c>.</summary>
public sealed record CloudRunContainer
{
    public string? Name { get; init; }
    public required string Image { get; init; }
    public IReadOnlyList<CloudRunEnvVar>? Env { get; init; }
    public CloudRunResourceRequirements? Resources { get; init; }
    public IReadOnlyList<CloudRunVolumeMount>? VolumeMounts { get; init; }
}

/// <summary>
/// <c>google.cloud.run.v2.EnvVar</c>: a literal <paramref name="Value"/> or, for credentials, a
/// <paramref name="ValueSource"/> naming a Secret Manager secret.
/// </summary>
public sealed record CloudRunEnvVar(string Name, string? Value, CloudRunEnvVarSource? ValueSource = null);

/// <summary><c>google.cloud.run.v2.ResourceRequirements</c>: limits such as <c>cpu: "1"</c>, <c>memory: "512Mi"</c>.</summary>
public sealed record CloudRunResourceRequirements
{
    public IReadOnlyDictionary<string, string>? Limits { get; init; }
    public bool? CpuIdle { get; init; }
}

/// <summary><c>google.cloud.run.v2.RevisionScaling</c>.</summary>
public sealed record CloudRunRevisionScaling
{
    public int? MinInstanceCount { get; init; }
    public int? MaxInstanceCount { get; init; }
}

/// <summary><c>google.cloud.run.v2.ServiceScaling</c>.</summary>
public sealed record CloudRunServiceScaling
{
    public int? MinInstanceCount { get; init; }
}

/// <summary><c>google.cloud.run.v2.Condition</c>. Enum fields stay strings so values added later still parse.</summary>
public sealed record CloudRunCondition
{
    public string? Type { get; init; }
    public string? State { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
    public string? Severity { get; init; }
    public string? Reason { get; init; }
    public string? RevisionReason { get; init; }
}

/// <summary>Values of <c>Condition.State</c>.</summary>
public static class CloudRunConditionState
{
    public const string Pending = "CONDITION_PENDING";
    public const string Reconciling = "CONDITION_RECONCILING";
    public const string Failed = "CONDITION_FAILED";
    public const string Succeeded = "CONDITION_SUCCEEDED";
}
