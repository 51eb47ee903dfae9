using System.Text.Json;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.CustomSpecs;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// The DeploymentRequested message of a deployment or standby slot, from what its row holds. Every place that asks the
/// provisioner to build (a new deployment, a retry of stuck work, a standby slot) builds the message here.
/// </summary>
public static class DeploymentRequests
{
    /// <param name="settingsJson">The row's <c>settings</c> column: a JSON object of environment variable → value.</param>
    /// <param name="serviceSpecJson">
    /// The row's <c>service_spec</c> column: a custom deployment's spec, else null. A deployment with a spec is built
    /// from the <c>custom</c> template whatever its own problem type (a generated one keeps the candidate's).
    /// </param>
    public static DeploymentRequested From(long deploymentId, string problemType, DateTimeOffset requestedAt,
        string? settingsJson, string? serviceSpecJson = null)
    {
        var spec = ReadServiceSpec(serviceSpecJson);
        return new(deploymentId, spec is null ? problemType : CustomDeployments.ProblemType, requestedAt,
            ReadSettings(settingsJson), spec);
    }

    /// <summary>The service_spec column read back: the spec as it was validated when it was saved.</summary>
    public static ServiceSpec? ReadServiceSpec(string? serviceSpecJson) =>
        string.IsNullOrWhiteSpace(serviceSpecJson)
            ? null
            : JsonSerializer.Deserialize<ServiceSpec>(serviceSpecJson, ServiceSpecJson.SerializerOptions);

    /// <summary>A spec as the service_spec column holds it.</summary>
    public static string WriteServiceSpec(ServiceSpec spec) =>
        JsonSerializer.Serialize(spec, ServiceSpecJson.SerializerOptions);

    /// <summary>The settings column read back; an empty or JSON-null column means the template's defaults.</summary>
    public static IReadOnlyDictionary<string, string> ReadSettings(string? settingsJson) =>
        string.IsNullOrWhiteSpace(settingsJson)
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(settingsJson) ?? new Dictionary<string, string>();
}
