using Microsoft.Extensions.Logging.Abstractions;
using Sdp.Contracts;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.LoadGenBenchmark;

/// <summary>
/// One rate, driven by the runner's own <see cref="LoadPhase"/> and <see cref="ScenarioHttp"/>: open loop, latency
/// from each request's due time. It also records how late each request left the generator (its send lag): waiting for
/// one of the in-flight slots when the deployment is slow, or a generator short of CPU.
/// </summary>
public sealed class RateStep(LoadGenOptions options, int rate)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly LatencySamples sendLag = new();
    private long firstSend = -1;

    public async Task<RateResult> RunAsync(CancellationToken cancellationToken)
    {
        using var http = new ScenarioHttp(options.Endpoint, options.Concurrency + 4, RequestTimeout, TimeProvider.System);
        var phase = new LoadPhase(new ScenarioLoad(rate, options.DurationSeconds, options.Concurrency), TimeProvider.System,
            NullLogger.Instance);
        // The generator shares the machine with the deployment: what it costs in CPU is part of the answer.
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var report = await phase.RunAsync((index, token) => SendAsync(http, index, token), cancellationToken);
        var cores = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds / Math.Max(report.DurationSeconds, 0.001);
        var lag = sendLag.Percentiles(0.50, 0.99);
        return new RateResult(rate, report, lag[0], lag[1], cores);
    }

    private async Task<LoadOutcome> SendAsync(ScenarioHttp http, long index, CancellationToken cancellationToken)
    {
        // Request 0 is due when the phase starts: its send time stands for the phase's start.
        var now = TimeProvider.System.GetTimestamp();
        Interlocked.CompareExchange(ref firstSend, now, -1);
        var due = TimeSpan.FromTicks(index * TimeSpan.TicksPerSecond / rate);
        sendLag.Add(Math.Max(0, (TimeProvider.System.GetElapsedTime(Interlocked.Read(ref firstSend), now) - due).TotalMilliseconds));

        var response = await http.GetAsync(options.Path, cancellationToken);
        if (response.Status != 302)
        {
            return LoadOutcome.UnexpectedStatus(response.Status);
        }

        return response.Header("Location") == options.Location ? LoadOutcome.Ok : LoadOutcome.WrongResponse;
    }
}
