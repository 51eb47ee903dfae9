using System.Globalization;
using Sdp.Contracts;

namespace Sdp.LoadGenBenchmark;

/// <summary>
/// What one rate gave: the load report, the generator's own send lag (p50, p99) in milliseconds, and the CPU it used
/// (cores, i.e. CPU seconds per second of the phase).
/// </summary>
public sealed record RateResult(int Rate, LoadPhaseReport Report, double SendLagP50Ms, double SendLagP99Ms, double Cores)
{
    /// <summary>
    /// Sustained: every request sent within the window and answered correctly, and at least 97 % of the rate
    /// achieved. The latencies stay honest past that point (measured from due times); the rate is what is not met.
    /// </summary>
    public bool Sustained => Report.Errors == 0 && Report.RequestsPerSecond >= 0.97 * Rate;

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"{Rate,8} {Report.RequestsPerSecond,10:0.0} {Report.LatencyP50Ms,8:0.00} {Report.LatencyP99Ms,9:0.00} {SendLagP99Ms,12:0.00} {Report.Errors,7} {Cores,6:0.00} {(Sustained ? "yes" : "no"),10}");

    public const string Header = "  target   achieved  p50_ms    p99_ms  send_lag_p99  errors  cores  sustained";
}
