using Microsoft.Extensions.Options;
using Sdp.Orchestrator.Api.Outbox;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>
/// Keeps the standby pools at their size. It runs on every replica; a lock in the database lets one refill at a time.
/// It wakes when a slot is claimed or settles, and otherwise every <see cref="StandbyOptions.CheckInterval"/>.
/// </summary>
public sealed class StandbyRefiller(
    StandbyStore store,
    OutboxPublisher outbox,
    IOptions<StandbyOptions> options,
    ILogger<StandbyRefiller> logger) : BackgroundService
{
    /// <summary>How soon to look again while a tenant's deployment holds the refill back.</summary>
    private static readonly TimeSpan WhileWaiting = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>A request took a slot: build its replacement.</summary>
    public void SlotClaimed() => Wake();

    /// <summary>A slot became ready or failed, or a pool was resized: look again now.</summary>
    public void PoolsChanged() => Wake();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = options.Value.CheckInterval;
            var yielding = false;
            try
            {
                var refill = await store.RefillAsync(stoppingToken);
                foreach (var message in refill.Messages)
                {
                    await outbox.PublishOrLeaveToRelayAsync(message, stoppingToken);
                }

                if (refill.Requested > 0 || refill.Removed > 0)
                {
                    logger.LogInformation("Standby pools: {Requested} slots requested, {Removed} removed",
                        refill.Requested, refill.Removed);
                }

                yielding = refill.Waiting;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be away; the next pass tries again and nothing is lost meanwhile.
                logger.LogWarning(exception, "Refilling the standby pools failed; trying again in {Interval}", next);
            }

            try
            {
                // While tenants are busy every claim wakes the refiller, and each pass would only yield again: during
                // a burst it looks a few times a second, not once per request.
                if (yielding)
                {
                    await Task.Delay(WhileWaiting < next ? WhileWaiting : next, stoppingToken);
                }
                else
                {
                    await wake.WaitAsync(next, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: one pass sees every change.
        }
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}
