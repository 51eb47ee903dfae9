using System.ComponentModel.DataAnnotations;
using Cronos;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>Section <c>Cleanup</c>: when the sweep runs and how long an orphan is left alone.</summary>
public sealed class CleanupSweepOptions : IValidatableObject
{
    public const string Section = "Cleanup";

    /// <summary>Cron expression (five fields, UTC) for the scheduled sweep; nightly at 02:00 by default.</summary>
    [Required]
    public string SweepSchedule { get; set; } = "0 2 * * *";

    /// <summary>
    /// A resource whose deployment ended (deleted or failed) less than this long ago is left to the cleanup
    /// still under way; after it, the sweep removes it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often ready deployments and standby slots are checked for a vanished Redis user or service.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan LostResourceCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a manual sweep waits for one already running on another replica.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ManualSweepLockWait { get; set; } = TimeSpan.FromSeconds(60);

    public CronExpression Schedule => CronExpression.Parse(SweepSchedule);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        CronFormatException? error = null;
        try
        {
            _ = CronExpression.Parse(SweepSchedule);
        }
        catch (CronFormatException exception)
        {
            error = exception;
        }

        if (error is not null)
        {
            yield return new ValidationResult(
                $"{Section}:SweepSchedule '{SweepSchedule}' is not a cron expression: {error.Message}",
                [nameof(SweepSchedule)]);
        }
    }
}
