using System.Globalization;

namespace Sdp.DeployBenchmark;

public sealed record BenchmarkOptions(Uri Url, int Count, int Concurrency, int Runs, string ProblemType)
{
    public const string Usage = """
        usage: dotnet run -c Release --project benchmarks/DeployBenchmark -- [--url http://localhost:5180]
                   [--count 200] [--concurrency 8] [--runs 3] [--problem-type url_shortener]
        """;

    public static BenchmarkOptions? Parse(string[] args)
    {
        var url = new Uri("http://localhost:5180");
        int count = 200, concurrency = 8, runs = 3;
        var problemType = "url_shortener";
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
                    break;
                case "--problem-type" when value is not null:
                    problemType = value;
                    break;
                default:
                    return null;
            }

            i++;
        }

        return new BenchmarkOptions(url, count, concurrency, runs, problemType);
    }
}
