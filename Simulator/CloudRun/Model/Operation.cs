namespace Sdp.Simulator.CloudRun.Model;

/// <summary>
/// <c>google.longrunning.Operation</c>. For Cloud Run's service methods both <see cref="Metadata"/> and
/// <see cref="Response"/> are a Service packed as <c>google.protobuf.Any</c>.
/// </summary>
public sealed record Operation
{
    public required string Name { get; init; }
    public PackedService? Metadata { get; init; }
    public bool Done { get; init; }
    public Status? Error { get; init; }
    public PackedService? Response { get; init; }
}

/// <summary>A Service as <c>google.protobuf.Any</c>: its fields plus <c>"@type"</c>.</summary>
public sealed record PackedService(Service Service)
{
    public const string TypeUrl = "type.googleapis.com/google.cloud.run.v2.Service";
}
