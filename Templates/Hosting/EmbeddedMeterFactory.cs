using System.Diagnostics.Metrics;

namespace Sdp.Templates.Hosting;

/// <summary>
/// The meters of a template app hosted inside another process. Kestrel and ASP.NET Core would otherwise record
/// under their usual meter names, which the host's own metrics collect: every hosted app would add label sets
/// (its port) to the host's metrics for as long as the host runs. This meter's name is one nobody collects;
/// disposed with the app.
/// </summary>
internal sealed class EmbeddedMeterFactory : IMeterFactory
{
    public const string MeterName = "Sdp.Templates.Embedded";

    private readonly Meter meter = new(MeterName);

    public Meter Create(MeterOptions options) => meter;

    public void Dispose() => meter.Dispose();
}
