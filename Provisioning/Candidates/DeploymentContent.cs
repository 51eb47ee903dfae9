using System.Text.Json;
using Sdp.Templates.Catalog;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Provisioning.Candidates;

/// <summary>
/// What a deployment's template puts into the candidate's resources: the SQL that creates its tables (run as the
/// candidate's role) and the variables its service needs besides the platform's. A template brings both itself; the
/// custom service takes them from the request's <see cref="ServiceSpec"/>.
/// </summary>
public sealed record DeploymentContent(string SchemaSql, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// The content of a deployment of <paramref name="template"/>, or why there can be none. Decided before anything is
    /// created: a custom deployment whose spec is missing, invalid or too large for a service's environment fails here.
    /// </summary>
    public static (DeploymentContent? Content, string? Failure) For(TemplateDescriptor template, ServiceSpec? serviceSpec)
    {
        if (!template.RequiresServiceSpec)
        {
            return (new DeploymentContent(template.SchemaSql, new Dictionary<string, string>()), null);
        }

        if (serviceSpec is null)
        {
            return (null, $"A {template.ProblemType} deployment needs a service spec, and none came with the request.");
        }

        // Checked again: the Orchestrator validated it, but the message is only as trustworthy as the queue it came through.
        var validation = ServiceSpecValidator.Validate(JsonSerializer.SerializeToElement(serviceSpec, ServiceSpecJson.SerializerOptions));
        if (!validation.IsValid)
        {
            return (null, "The service spec is invalid: " + string.Join("; ", validation.Violations.Take(5)
                .Select(v => $"{(v.Path.Length == 0 ? "/" : v.Path)}: {v.Message}")) + ".");
        }

        KeyValuePair<string, string> variable;
        try
        {
            variable = ServiceSpecEnvironment.For(validation.Spec!);
        }
        catch (ArgumentException tooLarge)
        {
            return (null, tooLarge.Message);
        }

        return (new DeploymentContent(CustomSchemaSql.For(validation.Spec!),
            new Dictionary<string, string>(StringComparer.Ordinal) { [variable.Key] = variable.Value }), null);
    }
}
