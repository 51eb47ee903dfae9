using System.Text.Json.Serialization;
using Sdp.Simulator.CloudRun.Model;

namespace Sdp.Simulator.CloudRun.Services;

/// <summary>
/// What a state file keeps of one service: enough to bring it back as it was, with the same uid, revision, times and
/// generation, and on the same port. Output-only fields are not kept: they are derived again from these.
/// </summary>
public sealed record StoredService
{
    /// <summary>The file format; a later format can tell an old file from its own.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required string Project { get; init; }

    public required string Location { get; init; }

    public required string ServiceId { get; init; }

    /// <summary>The Service as the client last created or updated it.</summary>
    public required Service Requested { get; init; }

    public required string Uid { get; init; }

    public required string RevisionId { get; init; }

    public required DateTimeOffset CreateTime { get; init; }

    /// <summary>When it was last updated; null when never.</summary>
    public DateTimeOffset? UpdateTime { get; init; }

    public required long Generation { get; init; }

    /// <summary>The loopback port its instance last listened on; null before it first listened.</summary>
    public int? Port { get; init; }

    [JsonIgnore]
    public ServiceName Name => new(Project, Location, ServiceId);
}
