using System.Diagnostics.Metrics;

namespace Sdp.ScenarioRunner.Engine;

/// <summary>
/// Meters under a name no meter provider collects, for the clients that call candidate services: each service has its
/// own address, and HttpClient's meters would add a label set for every one of them to the runner's metrics, for as
/// long as it runs.
/// </summary>
public sealed class UnlistenedMeterFactory : IMeterFactory
{
    public const string MeterName = "Sdp.Unrecorded";

    // One meter for every client, however many runs come and go: nothing grows.
    private readonly Meter meter = new(MeterName);

    public Meter Create(MeterOptions options) => meter;

    public void Dispose() => meter.Dispose();
}
