using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// MassTransit records its durations in milliseconds; Prometheus (and OpenTelemetry's semantic conventions) want
/// seconds. This listener re-records each of them, tags unchanged, in seconds on a meter of our own under the same
/// name; <see cref="PrometheusNamingViews"/> drops the millisecond originals.
/// </summary>
public sealed class MassTransitDurations : IHostedService, IDisposable
{
    public const string SourceMeterName = "MassTransit";
    public const string MeterName = "Sdp.MassTransit";

    public static readonly IReadOnlyList<string> InstrumentNames =
    [
        "messaging.masstransit.receive.duration",
        "messaging.masstransit.consume.duration",
        "messaging.masstransit.saga.duration",
        "messaging.masstransit.handler.duration",
        "messaging.masstransit.delivery.duration",
        "messaging.masstransit.execute.duration",
        "messaging.masstransit.compensate.duration",
    ];

    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Meter _meter = new(MeterName);
    private readonly Dictionary<string, Histogram<double>> _seconds;
    private readonly MeterListener _listener = new();

    public MassTransitDurations()
    {
        _seconds = InstrumentNames.ToDictionary(name => name, name => _meter.CreateHistogram(name, "s",
            "MassTransit's " + name["messaging.masstransit.".Length..^".duration".Length] + " duration.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets }));
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SourceMeterName && _seconds.ContainsKey(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument, _seconds[instrument.Name]);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, milliseconds, tags, state) =>
            ((Histogram<double>)state!).Record(milliseconds / 1000, tags));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _listener.Dispose();
        _meter.Dispose();
    }
}
