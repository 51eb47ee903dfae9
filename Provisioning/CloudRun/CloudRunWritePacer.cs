using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// Paces Admin API writes per project and region to <see cref="CloudRunOptions.WritesPerMinute"/>, allowing
/// <see cref="CloudRunOptions.WriteBurst"/> back to back: a token bucket kept as the time the next write is
/// due, so callers queue (in arrival order) instead of meeting RESOURCE_EXHAUSTED. Time comes from
/// <see cref="TimeProvider"/>, so pacing is testable without waiting.
/// </summary>
public sealed partial class CloudRunWritePacer(
    IOptions<CloudRunOptions> options,
    TimeProvider timeProvider,
    ILogger<CloudRunWritePacer> logger)
{
    private readonly ConcurrentDictionary<string, RegionSchedule> schedules = new(StringComparer.Ordinal);

    /// <summary>Waits until a write to <paramref name="region"/> (a project and region) may go out.</summary>
    public async Task WaitForTurnAsync(string region, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var interval = TimeSpan.FromMinutes(1) / settings.WritesPerMinute;
        var wait = schedules.GetOrAdd(region, _ => new RegionSchedule())
            .Reserve(timeProvider.GetUtcNow(), interval, settings.WriteBurst);
        if (wait > TimeSpan.Zero)
        {
            LogPaced(region, wait.TotalMilliseconds);
            // A write cancelled while queued keeps its slot: later writes are not moved up, erring on the safe side.
            await Task.Delay(wait, timeProvider, cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Cloud Run write to region {Region} paced by {WaitMs:0} ms")]
    private partial void LogPaced(string region, double waitMs);

    private sealed class RegionSchedule
    {
        private readonly Lock gate = new();
        private DateTimeOffset nextDue = DateTimeOffset.MinValue;

        /// <summary>Takes the next slot and returns how long to wait for it.</summary>
        public TimeSpan Reserve(DateTimeOffset now, TimeSpan interval, int burst)
        {
            lock (gate)
            {
                // The bucket never holds more than `burst` tokens: idle time beyond that is not saved up.
                var earliest = now - (interval * (burst - 1));
                if (nextDue < earliest)
                {
                    nextDue = earliest;
                }

                var slot = nextDue;
                nextDue = slot + interval;
                return slot > now ? slot - now : TimeSpan.Zero;
            }
        }
    }
}
