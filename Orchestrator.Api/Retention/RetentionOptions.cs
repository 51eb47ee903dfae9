using System.ComponentModel.DataAnnotations;
using Cronos;

namespace Sdp.Orchestrator.Api.Retention;

/// <summary>Section <c>Retention</c>: how long finished work and the audit log are kept, and when the purge runs.</summary>
public sealed class RetentionOptions : IValidatableObject
{
    public const string Section = "Retention";

    /// <summary>A deleted or failed deployment (and its scenario runs) is removed this long after its last change.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan DeploymentHistory { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A completed scenario run, with its report, is removed this long after it completed.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan ScenarioReports { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Audit entries are kept this long (seven years by default); the database refuses to delete younger ones.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan AuditLog { get; set; } = TimeSpan.FromDays(2557);

    /// <summary>Cron expression (five fields, UTC) of the purge; daily at 03:30 by default.</summary>
    [Required]
    public string Schedule { get; set; } = "30 3 * * *";

    public CronExpression ParsedSchedule => CronExpression.Parse(Schedule);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? error = null;
        try
        {
            _ = CronExpression.Parse(Schedule);
        }
        catch (CronFormatException exception)
        {
            error = exception.Message;
        }

        if (error is not null)
        {
            yield return new ValidationResult(
                $"{Section}:Schedule '{Schedule}' is not a cron expression: {error}", [nameof(Schedule)]);
        }
    }
}
