using System.Diagnostics.Metrics;

namespace Sdp.Templates.Catalog;

/// <summary>
/// Meters under a name no meter provider collects. For whatever serves or calls candidate services: each service
/// has its own address and port, and Kestrel's and HttpClient's meters would add a label set (about 60 series) for
/// every one of them to the process's metrics, for as long as it runs. Used by template apps hosted inside another
/// process, the provisioner's health probe and the scenario engine.
/// </summary>
public sealed class UnlistenedMeterFactory : IMeterFactory
{
    public const string MeterName = "Sdp.Unrecorded";

    // One meter for every caller, however often handlers are replaced: nothing grows.
    private readonly Meter meter = new(MeterName);

    public Meter Create(MeterOptions options) => meter;

    public void Dispose() => meter.Dispose();
}
