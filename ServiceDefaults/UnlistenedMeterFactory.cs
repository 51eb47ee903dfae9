using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Gives an HTTP handler a meter under a name no meter provider subscribes to, so its requests stay out of the
/// <c>http.client.*</c> metrics. For clients that talk to candidate services: each service has its own address
/// and port, and recorded, each would add a set of series (about 60) that lives as long as the process.
/// </summary>
public sealed class UnlistenedMeterFactory : IMeterFactory
{
    public const string MeterName = "Sdp.Unrecorded";

    // One meter for every request, however often handlers are replaced: nothing grows.
    private readonly Meter meter = new(MeterName);

    public Meter Create(MeterOptions options) => meter;

    public void Dispose() => meter.Dispose();
}
