using System.Text.Json;
using Sdp.Contracts;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// The DeploymentRequested message of a deployment or standby slot, from what its row holds. Every place that asks the
/// provisioner to build (a new deployment, a retry of stuck work, a standby slot) builds the message here.
/// </summary>
public static class DeploymentRequests
{
    /// <param name="settingsJson">The row's <c>settings</c> column: a JSON object of environment variable → value.</param>
    public static DeploymentRequested From(long deploymentId, string problemType, DateTimeOffset requestedAt,
        string? settingsJson) =>
        new(deploymentId, problemType, requestedAt, ReadSettings(settingsJson));

    /// <summary>The settings column read back; an empty or JSON-null column means the template's defaults.</summary>
    public static IReadOnlyDictionary<string, string> ReadSettings(string? settingsJson) =>
        string.IsNullOrWhiteSpace(settingsJson)
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(settingsJson) ?? new Dictionary<string, string>();
}
