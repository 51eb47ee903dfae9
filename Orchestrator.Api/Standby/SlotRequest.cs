using Sdp.Contracts;
using Sdp.Orchestrator.Api.Deployments;
using Sdp.Orchestrator.Api.Outbox;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>A standby slot as its DeploymentRequested needs it: read back from the row just requested.</summary>
internal sealed record SlotRequest(long Id, string ProblemType, string? Settings, DateTime RequestedAt)
{
    /// <summary>What a statement returns for <see cref="SlotRequest"/>.</summary>
    public const string Columns =
        "id AS Id, problem_type AS ProblemType, settings::text AS Settings, requested_at AS RequestedAt";

    public OutboxEntry Message() =>
        OutboxEntry.From<DeploymentRequested>(DeploymentRequests.From(Id, ProblemType,
            new DateTimeOffset(DateTime.SpecifyKind(RequestedAt, DateTimeKind.Utc)), Settings));
}
