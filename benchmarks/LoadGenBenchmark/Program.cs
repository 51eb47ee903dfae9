using System.Globalization;
using Sdp.LoadGenBenchmark;

// How fast one scenario runner drives load: its open-loop load phase at rising rates against one deployment, until
// it no longer sustains the rate. benchmarks/loadgen.sh sets up the deployment and runs wrk beside it.
var options = LoadGenOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(LoadGenOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

// The JIT, connection pools and the deployment's caches warm up first; not counted.
await new RateStep(options with { DurationSeconds = 3 }, options.Rates[0]).RunAsync(cancel.Token);

Console.WriteLine(RateResult.Header);
RateResult? best = null;
foreach (var rate in options.Rates)
{
    var result = await new RateStep(options, rate).RunAsync(cancel.Token);
    Console.WriteLine(result.Row());
    if (result.Sustained && result.Rate > (best?.Rate ?? 0))
    {
        best = result;
    }
}

Console.WriteLine(best is null
    ? "highest sustained: none"
    : string.Create(CultureInfo.InvariantCulture,
        $"highest sustained: {best.Rate} rps (achieved {best.Report.RequestsPerSecond:0.0}, p50 {best.Report.LatencyP50Ms:0.00} ms, p99 {best.Report.LatencyP99Ms:0.00} ms)"));
return 0;
