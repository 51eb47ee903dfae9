namespace Sdp.Hosting.Telemetry;

/// <summary>How much telemetry the host keeps in memory (Dashboard:Max* settings).</summary>
internal sealed record TelemetryLimits
{
    public int MaxSpans { get; init; } = 20_000;

    public int MaxSpansPerTrace { get; init; } = 2_000;

    public int MaxLogs { get; init; } = 10_000;

    /// <summary>Per metric and resource; at the 5 s export interval, 720 samples are an hour.</summary>
    public int MaxSamplesPerMetric { get; init; } = 720;

    /// <summary>Only Sdp's own instruments are kept for charts; /metrics on each service has everything.</summary>
    public string KeptMetricPrefix { get; init; } = "sdp.";
}
