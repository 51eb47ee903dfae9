using System.Globalization;

namespace Sdp.DeployBenchmark;

/// <param name="ApiKey">A tenant key; when absent, the benchmark makes a tenant of its own with the admin key.</param>
/// <param name="StateDirectory">The AppHost's state folder, where its admin key is kept.</param>
/// <param name="Standby">The standby pool size to run with (restored afterwards); null leaves the pool as it is.</param>
/// <param name="Warmup">Runs made first and not counted, for a platform that has just started (the JIT).</param>
public sealed record BenchmarkOptions(Uri Url, int Count, int Concurrency, int Runs, string ProblemType,
    string? ApiKey, string StateDirectory, int? Standby, int Warmup)
{
    public const string Usage = """
        usage: dotnet run -c Release --project benchmarks/DeployBenchmark -- [--url http://localhost:5180]
                   [--count 200] [--concurrency 8] [--runs 3] [--problem-type url_shortener]
                   [--api-key <tenant key>] [--state-directory .sdp] [--standby <pool size>] [--warmup 0]
        Without --api-key (or SDP_API_KEY), the admin key the AppHost keeps in its state folder creates a
        tenant for the benchmark, with quotas and a rate limit that do not get in its way.
        With the admin key, each run starts once the template's standby pool is full; --standby sets the
        pool's size for the benchmark (0: every deployment is built on request) and restores it afterwards.
        --warmup runs that many runs first, prints them, and leaves them out of the median.
        """;

    public static BenchmarkOptions? Parse(string[] args)
    {
        var url = new Uri("http://localhost:5180");
        int count = 200, concurrency = 8, runs = 3, warmup = 0;
        var problemType = "url_shortener";
        var apiKey = Environment.GetEnvironmentVariable("SDP_API_KEY") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : null;
        var stateDirectory = ".sdp";
        int? standby = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--url" when Uri.TryCreate(value, UriKind.Absolute, out var parsed):
                    url = parsed;
                    break;
                case "--count" when int.TryParse(value, CultureInfo.InvariantCulture, out count) && count > 0:
                case "--concurrency" when int.TryParse(value, CultureInfo.InvariantCulture, out concurrency) && concurrency > 0:
                case "--runs" when int.TryParse(value, CultureInfo.InvariantCulture, out runs) && runs > 0:
                case "--warmup" when int.TryParse(value, CultureInfo.InvariantCulture, out warmup) && warmup >= 0:
                    break;
                case "--problem-type" when value is not null:
                    problemType = value;
                    break;
                case "--api-key" when value is not null:
                    apiKey = value;
                    break;
                case "--state-directory" when value is not null:
                    stateDirectory = value;
                    break;
                case "--standby" when int.TryParse(value, CultureInfo.InvariantCulture, out var size) && size >= 0:
                    standby = size;
                    break;
                default:
                    return null;
            }

            i++;
        }

        return new BenchmarkOptions(url, count, concurrency, runs, problemType, apiKey, stateDirectory, standby, warmup);
    }
}
