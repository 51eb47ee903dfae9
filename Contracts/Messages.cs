using Sdp.Templates.Catalog.Custom;

namespace Sdp.Contracts;

// Integration events and commands exchanged over MassTransit. Names are matched by full type name,
// so every service shares this one project.

/// <summary>Orchestrator → Provisioner: build deployment N.</summary>
/// <param name="Settings">Template settings (environment variable → value) the request asked for; the template's defaults apply to the rest.</param>
/// <param name="ServiceSpec">The spec a <c>custom</c> deployment serves, validated by the Orchestrator; null for the templates.</param>
public sealed record DeploymentRequested(long DeploymentId, string ProblemType, DateTimeOffset RequestedAt,
    IReadOnlyDictionary<string, string>? Settings = null, ServiceSpec? ServiceSpec = null);

/// <summary>Provisioner → Orchestrator: work on deployment N has begun.</summary>
public sealed record DeploymentProvisioningStarted(long DeploymentId, DateTimeOffset StartedAt);

/// <summary>Provisioner → Orchestrator: deployment N answers at <see cref="EndpointUrl"/>.</summary>
public sealed record DeploymentProvisioned(
    long DeploymentId,
    string EndpointUrl,
    string DatabaseSchema,
    string RedisPrefix,
    ProvisioningTimings Timings,
    DateTimeOffset ReadyAt);

/// <summary>Where a deployment's time went, in milliseconds, as the provisioner measured it.</summary>
public sealed record ProvisioningTimings(double DatabaseMs, double RedisMs, double ServiceMs, double HealthMs, double TotalMs);

/// <summary>Provisioner → Orchestrator: deployment N could not be built; whatever was created is gone.</summary>
public sealed record DeploymentFailed(long DeploymentId, string Reason, DateTimeOffset FailedAt);

/// <summary>Orchestrator → Cleanup: remove every resource of deployment N.</summary>
public sealed record CleanupRequested(long DeploymentId, DateTimeOffset RequestedAt);

/// <summary>Cleanup → Orchestrator: nothing of deployment N remains.</summary>
public sealed record DeploymentCleanedUp(long DeploymentId, DateTimeOffset CleanedAt, double DurationMs);
