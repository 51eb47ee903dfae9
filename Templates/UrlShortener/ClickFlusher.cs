using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Sdp.Templates.UrlShortener;

/// <summary>Writes pending click counts to PostgreSQL every second, and once more when the app stops.</summary>
internal sealed class ClickFlusher(PendingClicks pendingClicks, IServiceProvider services, TimeProvider timeProvider,
    ILogger<ClickFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        // Stopping disposes the timer, which ends the wait with false: a host that stops candidates all day pays for
        // no cancellation exception per stop. The final flush runs in StopAsync.
        using var stopping = stoppingToken.Register(static state => ((PeriodicTimer)state!).Dispose(), timer);
        while (await timer.WaitForNextTickAsync(CancellationToken.None))
        {
            await FlushAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = pendingClicks.TakeAll();
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            // Resolved here, not in the constructor: the data source is created on first use, never at start-up.
            var store = services.GetRequiredService<ShortUrlStore>();
            await store.AddClicksAsync(batch, cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            pendingClicks.Restore(batch);
            logger.LogWarning(exception, "Could not write {CodeCount} click counts; they are kept for the next attempt", batch.Count);
        }
    }
}
