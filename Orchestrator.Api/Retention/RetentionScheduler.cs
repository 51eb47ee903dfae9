using Microsoft.Extensions.Options;

namespace Sdp.Orchestrator.Api.Retention;

/// <summary>
/// Runs the retention purge on its cron schedule (UTC). Every replica keeps the schedule; the purge's advisory
/// lock lets one of them do each run.
/// </summary>
public sealed class RetentionScheduler(
    RetentionPurge purge,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = options.Value.ParsedSchedule;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (schedule.GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc) is not { } next)
            {
                logger.LogWarning("Retention schedule {Schedule} has no next occurrence; no more purges",
                    options.Value.Schedule);
                return;
            }

            await Task.Delay(new DateTimeOffset(next) - now, time, stoppingToken);
            try
            {
                if (await purge.RunAsync(stoppingToken) is null)
                {
                    logger.LogInformation("Retention purge skipped: another replica is running it");
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "Retention purge failed; next try at the next scheduled time");
            }
        }
    }
}
