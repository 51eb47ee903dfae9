using System.Text.Json.Serialization;

namespace Sdp.Simulator.CloudRun.Model;

/// <summary><c>google.cloud.run.v2.Condition</c>: Knative-style status of a resource.</summary>
public sealed record Condition
{
    public string? Type { get; init; }
    public ConditionState? State { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
    public ConditionSeverity? Severity { get; init; }
    public ConditionReason? Reason { get; init; }
}

// Enum numbers are the proto's: clients that ask for `enum-encoding=int` receive them.

public enum ConditionState
{
    [JsonStringEnumMemberName("STATE_UNSPECIFIED")] Unspecified = 0,
    [JsonStringEnumMemberName("CONDITION_PENDING")] Pending = 1,
    [JsonStringEnumMemberName("CONDITION_RECONCILING")] Reconciling = 2,
    [JsonStringEnumMemberName("CONDITION_FAILED")] Failed = 3,
    [JsonStringEnumMemberName("CONDITION_SUCCEEDED")] Succeeded = 4,
}

public enum ConditionSeverity
{
    [JsonStringEnumMemberName("SEVERITY_UNSPECIFIED")] Unspecified = 0,
    [JsonStringEnumMemberName("ERROR")] Error = 1,
    [JsonStringEnumMemberName("WARNING")] Warning = 2,
    [JsonStringEnumMemberName("INFO")] Info = 3,
}

/// <summary><c>Condition.CommonReason</c>.</summary>
public enum ConditionReason
{
    [JsonStringEnumMemberName("COMMON_REASON_UNDEFINED")] Undefined = 0,
    [JsonStringEnumMemberName("UNKNOWN")] Unknown = 1,
    [JsonStringEnumMemberName("REVISION_FAILED")] RevisionFailed = 3,
    [JsonStringEnumMemberName("PROGRESS_DEADLINE_EXCEEDED")] ProgressDeadlineExceeded = 4,
    [JsonStringEnumMemberName("CONTAINER_MISSING")] ContainerMissing = 6,
    [JsonStringEnumMemberName("CONTAINER_PERMISSION_DENIED")] ContainerPermissionDenied = 7,
    [JsonStringEnumMemberName("WAITING_FOR_OPERATION")] WaitingForOperation = 13,
    [JsonStringEnumMemberName("INTERNAL")] Internal = 16,
}
