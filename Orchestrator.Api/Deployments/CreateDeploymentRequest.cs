using System.Text;
using Sdp.Templates;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>Body of <c>POST /api/deployments</c> (snake_case JSON).</summary>
/// <param name="TtlMinutes">How long the deployment lives; the configured default when absent, at most the configured maximum.</param>
public sealed record CreateDeploymentRequest(string? ProblemType, string? DesignText, string? SubmissionId,
    int? TtlMinutes = null)
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

        var maxTtlMinutes = (int)maxTtl.TotalMinutes;
        if (TtlMinutes is { } ttl && (ttl < 1 || ttl > maxTtlMinutes))
        {
            errors["ttl_minutes"] = [$"ttl_minutes must be a whole number from 1 to {maxTtlMinutes}."];
        }

        return errors;
    }

    /// <summary>The deployment's time to live: the request's own, or <paramref name="defaultTtl"/>.</summary>
    public TimeSpan Ttl(TimeSpan defaultTtl) => TtlMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : defaultTtl;

    public TemplateDescriptor? Template => ProblemType is null ? null : TemplateCatalog.Find(ProblemType);
}
