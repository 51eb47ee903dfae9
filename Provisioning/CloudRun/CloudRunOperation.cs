using System.Text.Json;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// <c>google.longrunning.Operation</c> of a Cloud Run service method: <see cref="Metadata"/> and
/// <see cref="Response"/> are both the Service (their <c>"@type"</c> is ignored when read).
/// </summary>
public sealed record CloudRunOperation
{
    public required string Name { get; init; }

    /// <summary>Google leaves <c>done</c> out until it is true; missing reads as false.</summary>
    public bool Done { get; init; }

    public CloudRunService? Metadata { get; init; }
    public CloudRunStatus? Error { get; init; }
    public CloudRunService? Response { get; init; }
}

/// <summary><c>google.rpc.Status</c>: a gRPC code number (e.g. 5 = NOT_FOUND), a message and typed details.</summary>
public sealed record CloudRunStatus
{
    public int Code { get; init; }
    public string? Message { get; init; }
    public IReadOnlyList<JsonElement>? Details { get; init; }
}

/// <summary><c>ListServicesResponse</c>; <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record CloudRunServicePage
{
    public IReadOnlyList<CloudRunService> Services { get; init; } = [];
    public string? NextPageToken { get; init; }
}
