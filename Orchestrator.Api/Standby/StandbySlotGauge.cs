using System.Diagnostics.Metrics;
using Sdp.Orchestrator.Api.Telemetry;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>
/// <c>sdp.standby.slots{problem_type, state}</c>: each pool's slots by state, and <c>sdp.standby.size{problem_type}</c>.
/// </summary>
public sealed class StandbySlotGauge : RefreshedGauge
{
    private readonly StandbyStore store;
    private volatile IReadOnlyList<StandbyPoolStatus> pools = [];

    public StandbySlotGauge(StandbyStore store, TimeProvider time, IMeterFactory meters,
        ILogger<StandbySlotGauge> logger)
        : base(time, logger)
    {
        this.store = store;
        var meter = meters.Create(SdpTelemetry.MeterName);
        meter.CreateObservableGauge("sdp.standby.slots", ObserveSlots, "{slot}",
            "Standby slots of each template's pool, by state (ready: built and answering; not_answering: built, " +
            "but its service did not answer when last asked; provisioning, failed, removing).");
        meter.CreateObservableGauge("sdp.standby.size", ObserveSizes, "{slot}",
            "Each template's standby pool size in effect.");
    }

    protected override string Counted => "standby slots";

    protected override async Task RefreshAsync(CancellationToken cancellationToken) =>
        pools = await store.ListAsync(cancellationToken);

    private IEnumerable<Measurement<long>> ObserveSlots() => pools.SelectMany(pool => (IEnumerable<Measurement<long>>)
    [
        Slots(pool, "ready", pool.Ready),
        Slots(pool, "not_answering", pool.NotAnswering),
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
