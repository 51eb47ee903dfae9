using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>The activity source and meter names Sdp's own instrumentation uses.</summary>
public static class SdpTelemetry
{
    public const string ActivitySourceName = "Sdp";
    public const string MeterName = "Sdp";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}
