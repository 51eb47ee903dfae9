using Microsoft.Extensions.Options;
using Npgsql;

namespace Sdp.Cleanup.Worker.Sweep;

/// <summary>
/// Runs the sweep on its cron schedule (UTC), and every <see cref="CleanupSweepOptions.LostResourceCheckInterval"/>
/// looks for ready deployments and standby slots that lost their Redis user or their service. Every replica runs the
/// schedule; an advisory lock lets one of them do each run.
/// </summary>
public sealed class CleanupScheduler(
    IServiceScopeFactory scopes,
    NpgsqlDataSource database,
    IOptions<CleanupSweepOptions> options,
    TimeProvider time,
    ILogger<CleanupScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(RunScheduleAsync(stoppingToken), RunLostResourceChecksAsync(stoppingToken));

    private async Task RunScheduleAsync(CancellationToken stoppingToken)
    {
        var schedule = options.Value.Schedule;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = schedule.GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc);
            if (next is null)
            {
                logger.LogWarning("Cleanup schedule {Schedule} has no next occurrence; no more scheduled sweeps",
                    options.Value.SweepSchedule);
                return;
            }

            logger.LogInformation("Next scheduled cleanup sweep at {NextSweep:u}", next.Value);
            await Task.Delay(new DateTimeOffset(next.Value) - now, time, stoppingToken);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<CleanupSweep>().RunAsync(CleanupSweep.Scheduled, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Logged by the sweep; the next occurrence tries again.
            }
        }
    }

    private async Task RunLostResourceChecksAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LostResourceCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var checkLock = await WorkerLock.TryAcquireAsync(database, WorkerLock.LostResourceCheckKey,
                    TimeSpan.Zero, time, stoppingToken);
                if (checkLock is not null)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<CleanupSweep>().ReportLostAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Looking for lost deployment resources failed; next try in {Interval}",
                    options.Value.LostResourceCheckInterval);
            }
        }
    }
}
