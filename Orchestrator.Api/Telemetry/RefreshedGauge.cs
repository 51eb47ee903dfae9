namespace Sdp.Orchestrator.Api.Telemetry;

/// <summary>
/// The background half of a gauge read from the database: a gauge's callback must not block on a query, so this
/// refreshes the figures every few seconds and the callback reports the last ones.
/// </summary>
public abstract class RefreshedGauge(TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>What is counted, for the log line when a refresh fails.</summary>
    protected abstract string Counted { get; }

    protected abstract Task RefreshAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Counting {Counted} failed; retrying in {Interval}", Counted, Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
