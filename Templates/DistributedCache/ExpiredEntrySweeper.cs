using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sdp.Templates.Dependencies;

namespace Sdp.Templates.DistributedCache;

/// <summary>
/// Deletes expired rows from PostgreSQL every sweep interval, from the app's first request until it stops
/// (Redis expires its copies by itself). Several instances may sweep at once: SKIP LOCKED keeps them apart.
/// </summary>
internal sealed class ExpiredEntrySweeper(
    FirstRequestSignal firstRequest,
    IServiceProvider services,
    DistributedCacheOptions options,
    TimeProvider timeProvider,
    ILogger<ExpiredEntrySweeper> logger) : BackgroundService
{
    private const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await firstRequest.Arrived.WaitAsync(stoppingToken);
            // Resolved now, not at start-up: the data source is created on first use.
            var store = services.GetRequiredService<CacheEntryStore>();
            using var timer = new PeriodicTimer(options.SweepInterval, timeProvider);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync(store, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    private async Task SweepAsync(CacheEntryStore store, CancellationToken stoppingToken)
    {
        try
        {
            int deleted;
            do
            {
                deleted = await store.DeleteExpiredAsync(timeProvider.GetUtcNow(), BatchSize, stoppingToken);
            }
            while (deleted == BatchSize);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(exception, "Sweeping expired cache entries failed; the next sweep tries again");
        }
    }
}
