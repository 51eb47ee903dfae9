using System.Globalization;

namespace Sdp.DeployBenchmark;

public sealed record RunResult(
    int Run,
    BenchmarkOptions Options,
    int? StandbyPool,
    IReadOnlyList<Deployment> Ready,
    IReadOnlyList<Deployment> Deleted,
    IReadOnlyList<string> Failures,
    TimeSpan DeployElapsed,
    TimeSpan CleanupElapsed,
    double[] ClientDeployMs,
    double[] ClientCleanupMs)
{
    public int Failed => Failures.Count;

    public double[] DeployMs => [.. Ready.Select(d => (d.Timestamps.Ready!.Value - d.Accepted).TotalMilliseconds)];

    public double[] CleanupMs => [.. Deleted.Select(d => (d.Timestamps.Deleted!.Value - d.Timestamps.Cleaning!.Value).TotalMilliseconds)];

    public double DeploysPerSecond => Ready.Count / DeployElapsed.TotalSeconds;

    public void Print(TextWriter output)
    {
        var pool = StandbyPool is { } size ? Invariant($"a standby pool of {size}") : "the standby pool as it is";
        output.WriteLine(Invariant($"run {Run}: {Options.Count} × {Options.ProblemType} at concurrency {Options.Concurrency} against {Options.Url}, {pool}"));
        output.WriteLine(Invariant($"  deploy   (accepted → ready)       {Percentiles(DeployMs)}   {DeploysPerSecond:F1} deploys/s"));
        output.WriteLine(Invariant($"  deploy   (client: sent → ready)   {Percentiles(ClientDeployMs)}   {Ready.Count(d => d.WarmStart)} of {Ready.Count} from standby"));
        output.WriteLine(Invariant($"  cleanup  (cleaning → deleted)     {Percentiles(CleanupMs)}"));
        output.WriteLine(Invariant($"  cleanup  (client: sent → deleted) {Percentiles(ClientCleanupMs)}"));
        // A standby slot's timings are from when it was built, ahead of the request: not part of its deploy time.
        var timed = Ready.Where(d => d.Timings is not null && !d.WarmStart).Select(d => d.Timings!).ToList();
        if (timed.Count > 0)
        {
            var outside = Median(Ready.Where(d => d.Timings is not null && !d.WarmStart)
                .Select(d => (d.Timestamps.Ready!.Value - d.Accepted).TotalMilliseconds - (d.Generation?.DurationMs ?? 0) - d.Timings!.TotalMs));
            output.WriteLine(Invariant(
                $"  provisioner steps, median ms: database {Median(timed.Select(t => t.DatabaseMs))}, redis {Median(timed.Select(t => t.RedisMs))}, service {Median(timed.Select(t => t.ServiceMs))}, health {Median(timed.Select(t => t.HealthMs))}, provisioner total {Median(timed.Select(t => t.TotalMs))}; API + messaging outside the provisioner {outside}"));
        }

        var generated = Ready.Where(d => d.Generation is not null).Select(d => d.Generation!).ToList();
        if (generated.Count > 0)
        {
            output.WriteLine(Invariant(
                $"  generation (accepted → spec there): {Percentiles([.. generated.Select(g => g.DurationMs)])}   {generated.Count(g => g.Cached)} of {generated.Count} remembered, median tokens in {Median(generated.Select(g => (double)g.InputTokens))} / out {Median(generated.Select(g => (double)g.OutputTokens))}"));
        }

        output.WriteLine(Invariant($"  failures: {Failed}"));
        foreach (var failure in Failures.Take(10))
        {
            output.WriteLine("    " + failure);
        }
    }

    public static void PrintMedian(IReadOnlyList<RunResult> runs, TextWriter output)
    {
        double MedianOf(Func<RunResult, double> pick) => Median(runs.Select(pick));
        output.WriteLine(Invariant($"median of {runs.Count} runs:"));
        output.WriteLine(Invariant(
            $"  deploy   (accepted → ready)       p50 {MedianOf(r => Percentile(r.DeployMs, 50)):F1} ms  p95 {MedianOf(r => Percentile(r.DeployMs, 95)):F1} ms  p99 {MedianOf(r => Percentile(r.DeployMs, 99)):F1} ms  {MedianOf(r => r.DeploysPerSecond):F1} deploys/s"));
        output.WriteLine(Invariant(
            $"  deploy   (client: sent → ready)   p50 {MedianOf(r => Percentile(r.ClientDeployMs, 50)):F1} ms  p95 {MedianOf(r => Percentile(r.ClientDeployMs, 95)):F1} ms  p99 {MedianOf(r => Percentile(r.ClientDeployMs, 99)):F1} ms"));
        output.WriteLine(Invariant(
            $"  cleanup  (cleaning → deleted)     p50 {MedianOf(r => Percentile(r.CleanupMs, 50)):F1} ms  p95 {MedianOf(r => Percentile(r.CleanupMs, 95)):F1} ms  p99 {MedianOf(r => Percentile(r.CleanupMs, 99)):F1} ms"));
        output.WriteLine(Invariant(
            $"  cleanup  (client: sent → deleted) p50 {MedianOf(r => Percentile(r.ClientCleanupMs, 50)):F1} ms  p95 {MedianOf(r => Percentile(r.ClientCleanupMs, 95)):F1} ms  p99 {MedianOf(r => Percentile(r.ClientCleanupMs, 99)):F1} ms"));
    }

    private static string Percentiles(double[] values) => values.Length == 0
        ? "no samples"
        : Invariant($"p50 {Percentile(values, 50):F1} ms  p95 {Percentile(values, 95):F1} ms  p99 {Percentile(values, 99):F1} ms");

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(double[] values, double percent)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static double Median(IEnumerable<double> values) => Math.Round(Percentile([.. values], 50), 1);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
