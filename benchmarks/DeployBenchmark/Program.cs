using Sdp.DeployBenchmark;
using Sdp.Testing;

// Deploys N URL shorteners (or another template, a custom spec, or generated specs) through the public API at concurrency C against a running platform, deletes them,
// and prints deployment and cleanup latency percentiles, throughput and where the time went.
var options = BenchmarkOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var adminKeyPath = TenantKeys.AdminKeyPath(options.StateDirectory);
using var admin = File.Exists(adminKeyPath) ? TenantKeys.Client(options.Url, TenantKeys.ReadAdminKey(options.StateDirectory)) : null;
var apiKey = options.ApiKey;
if (apiKey is null)
{
    if (admin is null)
    {
        Console.Error.WriteLine($"No --api-key, and no admin key at {adminKeyPath} to make a tenant with.");
        return 2;
    }

    (_, apiKey) = await TenantKeys.CreateTenantAsync(admin, "deploy-benchmark", cancellationToken: cancel.Token);
}

if (options.Standby is not null && admin is null)
{
    Console.Error.WriteLine($"--standby needs the admin key, and there is none at {adminKeyPath}.");
    return 2;
}

var pool = admin is null ? null : new StandbyPool(admin, options.ProblemType);
if (pool is not null && !await pool.ExistsAsync(cancel.Token))
{
    if (options.Standby is not null)
    {
        Console.Error.WriteLine($"--standby: '{options.ProblemType}' has no standby pool.");
        return 2;
    }

    pool = null;
}

int? sizeBefore = options.Standby is { } standby ? await pool!.ResizeAsync(standby, cancel.Token) : null;
// Warm-up runs are numbered 0 and below: printed and checked for failures, left out of the median.
var runs = new List<RunResult>();
try
{
    for (var run = 1 - options.Warmup; run <= options.Runs; run++)
    {
        var poolSize = pool is null ? (int?)null : await pool.WaitUntilFullAsync(Console.Out, cancel.Token);
        var result = await new DeployRun(options, apiKey).ExecuteAsync(run, poolSize, cancel.Token);
        if (run < 1)
        {
            Console.Out.WriteLine("warm-up run, not counted:");
        }

        result.Print(Console.Out);
        runs.Add(result);
    }
}
finally
{
    if (sizeBefore is { } size)
    {
        await pool!.ResizeAsync(size, CancellationToken.None);
    }
}

var counted = runs.Where(r => r.Run >= 1).ToList();
if (counted.Count > 1)
{
    RunResult.PrintMedian(counted, Console.Out);
}

return runs.All(r => r.Failed == 0) ? 0 : 1;
