namespace Sdp.Orchestrator.Api.Audit;

/// <summary>
/// Endpoint metadata naming what a mutating endpoint does, for its audit entry.
/// <see cref="Target"/> is a template filled from route values (<c>deployment:{id}</c>); when the response carries
/// a Location header and <see cref="CreatedKind"/> is set, the target is the created resource instead
/// (<c>{CreatedKind}:{last segment of Location}</c>).
/// </summary>
public sealed record AuditedEndpoint(string Action, string? Target, string? CreatedKind);

public static class AuditedEndpointExtensions
{
    /// <summary>
    /// Names the endpoint's action in the audit log, e.g. <c>.Audited("deployment.delete", target: "deployment:{id}")</c>
    /// or <c>.Audited("deployment.create", created: "deployment")</c>.
    /// </summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action, string? target = null,
        string? created = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        return builder.WithMetadata(new AuditedEndpoint(action, target, created));
    }
}
