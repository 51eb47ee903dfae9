using System.Diagnostics.Metrics;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>
/// <c>sdp.standby.slots{problem_type, state}</c>: each pool's slots by state, and <c>sdp.standby.size{problem_type}</c>.
/// The callbacks must not block on the database, so a background pass refreshes the figures every few seconds.
/// </summary>
public sealed class StandbySlotGauge : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly StandbyStore store;
    private readonly TimeProvider time;
    private readonly ILogger<StandbySlotGauge> logger;
    private volatile IReadOnlyList<StandbyPoolStatus> pools = [];

    public StandbySlotGauge(StandbyStore store, TimeProvider time, IMeterFactory meters,
        ILogger<StandbySlotGauge> logger)
    {
        this.store = store;
        this.time = time;
        this.logger = logger;
        var meter = meters.Create(SdpTelemetry.MeterName);
        meter.CreateObservableGauge("sdp.standby.slots", ObserveSlots, "{slot}",
            "Standby slots of each template's pool, by state (ready, provisioning, failed, removing).");
        meter.CreateObservableGauge("sdp.standby.size", ObserveSizes, "{slot}",
            "Each template's standby pool size in effect.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                pools = await store.ListAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Counting standby slots failed; retrying in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> ObserveSlots() => pools.SelectMany(pool => (IEnumerable<Measurement<long>>)
    [
        Slots(pool, "ready", pool.Ready),
        Slots(pool, "provisioning", pool.Provisioning),
        Slots(pool, "failed", pool.Failed),
        Slots(pool, "removing", pool.Removing),
    ]);

    private IEnumerable<Measurement<long>> ObserveSizes() => pools.Select(pool => new Measurement<long>(pool.Size,
        new KeyValuePair<string, object?>(SdpMetrics.ProblemTypeTag, pool.ProblemType)));

    private static Measurement<long> Slots(StandbyPoolStatus pool, string state, int count) => new(count,
        new KeyValuePair<string, object?>(SdpMetrics.ProblemTypeTag, pool.ProblemType),
        new KeyValuePair<string, object?>(SdpMetrics.StateTag, state));
}
