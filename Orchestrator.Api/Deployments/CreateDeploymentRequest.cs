using System.Globalization;
using System.Text;
using System.Text.Json;
using Sdp.Templates.Catalog;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>Body of <c>POST /api/deployments</c> (snake_case JSON).</summary>
/// <param name="TtlMinutes">How long the deployment lives; the configured default when absent, at most the configured maximum.</param>
/// <param name="Settings">Template settings by name (see <c>GET /api/templates</c>), as numbers or strings.</param>
/// <param name="ServiceSpec">
/// With <c>problem_type</c> <c>custom</c>: the service spec to deploy (its JSON Schema is at
/// <c>GET /api/templates/custom/schema</c>). Not allowed with any other problem type.
/// </param>
public sealed record CreateDeploymentRequest(string? ProblemType, string? DesignText, string? SubmissionId,
    int? TtlMinutes = null, Dictionary<string, JsonElement>? Settings = null, JsonElement? ServiceSpec = null)
{
    public const int MaxDesignTextBytes = 64 * 1024;
    public const int MaxSubmissionIdLength = 200;

    /// <summary>Field errors keyed by the JSON field name; empty when the request is well formed.</summary>
    public Dictionary<string, string[]> Validate(TimeSpan maxTtl)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(ProblemType))
        {
            errors["problem_type"] = ["problem_type is required."];
        }

        if (string.IsNullOrWhiteSpace(DesignText))
        {
            errors["design_text"] = ["design_text is required."];
        }
        else if (Encoding.UTF8.GetByteCount(DesignText) > MaxDesignTextBytes)
        {
            errors["design_text"] = [$"design_text must be at most {MaxDesignTextBytes} bytes (64 KiB) of UTF-8."];
        }

        if (SubmissionId is { Length: > MaxSubmissionIdLength })
        {
            errors["submission_id"] = [$"submission_id must be at most {MaxSubmissionIdLength} characters."];
        }

        if (ServiceSpec is { ValueKind: not JsonValueKind.Null } && !string.IsNullOrWhiteSpace(ProblemType)
            && ProblemType != CustomSpecs.CustomDeployments.ProblemType)
        {
            errors["service_spec"] = [$"service_spec is only for problem_type '{CustomSpecs.CustomDeployments.ProblemType}'."];
        }

        var maxTtlMinutes = (int)maxTtl.TotalMinutes;
        if (TtlMinutes is { } ttl && (ttl < 1 || ttl > maxTtlMinutes))
        {
            errors["ttl_minutes"] = [$"ttl_minutes must be a whole number from 1 to {maxTtlMinutes}."];
        }

        return errors;
    }

    /// <summary>The deployment's time to live: the request's own, or <paramref name="defaultTtl"/>.</summary>
    public TimeSpan Ttl(TimeSpan defaultTtl) => TtlMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : defaultTtl;

    /// <summary>
    /// The settings as the template reads them (variable → invariant text), or the field errors when a name is not
    /// one of <paramref name="template"/>'s settings or a value is out of its bounds.
    /// </summary>
    public (IReadOnlyDictionary<string, string> Settings, Dictionary<string, string[]> Errors) ResolveSettings(
        TemplateDescriptor template)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, value) in Settings ?? [])
        {
            var field = $"settings.{name}";
            var setting = template.Settings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
            if (setting is null)
            {
                var accepted = template.Settings.Count == 0 ? "none" : string.Join(", ", template.Settings.Select(s => s.Name));
                errors[field] = [$"{template.ProblemType} has no setting '{name}'; it accepts: {accepted}."];
                continue;
            }

            var text = value.ValueKind switch
            {
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.String => value.GetString()!.Trim(),
                _ => null,
            };
            if ((text is null ? $"{name} must be a number or a string." : setting.Check(text)) is { } problem)
            {
                errors[field] = [problem];
                continue;
            }

            resolved[name] = int.Parse(text!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
                .ToString(CultureInfo.InvariantCulture);
        }

        return (resolved, errors);
    }

    public TemplateDescriptor? Template => ProblemType is null ? null : TemplateCatalog.Find(ProblemType);
}
