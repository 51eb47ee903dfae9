using Sdp.DeployBenchmark;
using Sdp.Testing;

// Deploys N URL shorteners through the public API at concurrency C against a running platform, deletes them,
// and prints deployment and cleanup latency percentiles, throughput and where the time went.
var options = BenchmarkOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var apiKey = options.ApiKey;
if (apiKey is null)
{
    using var admin = TenantKeys.Client(options.Url, TenantKeys.ReadAdminKey(options.StateDirectory));
    (_, apiKey) = await TenantKeys.CreateTenantAsync(admin, "deploy-benchmark", cancellationToken: cancel.Token);
}

var runs = new List<RunResult>();
for (var run = 1; run <= options.Runs; run++)
{
    var result = await new DeployRun(options, apiKey).ExecuteAsync(run, cancel.Token);
    result.Print(Console.Out);
    runs.Add(result);
}

if (runs.Count > 1)
{
    RunResult.PrintMedian(runs, Console.Out);
}

return runs.All(r => r.Failed == 0) ? 0 : 1;
