using System.Globalization;

namespace Sdp.LoadGenBenchmark;

/// <param name="Endpoint">The deployment's URL.</param>
/// <param name="Path">The request every step sends: <c>GET /{code}</c> of a short URL made beforehand.</param>
/// <param name="Location">The redirect target that short URL must answer with.</param>
public sealed record LoadGenOptions(Uri Endpoint, string Path, string Location, IReadOnlyList<int> Rates, int DurationSeconds,
    int Concurrency)
{
    public const string Usage = """
        usage: LoadGenBenchmark --url <deployment URL> --path /<code> --location <URL the code redirects to>
                   [--rates 250,500,1000,2000] [--duration 10] [--concurrency 64]
        Drives the scenario runner's open-loop load phase at each rate in turn (GET path, 302 to location expected),
        after a warm-up, and prints what it sustained. benchmarks/loadgen.sh runs it against a fresh deployment.
        """;

    public static LoadGenOptions? Parse(string[] args)
    {
        Uri? endpoint = null;
        string? path = null, location = null;
        IReadOnlyList<int> rates = [250, 500, 1000, 2000];
        int duration = 10, concurrency = 64;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--url" when Uri.TryCreate(value, UriKind.Absolute, out var parsed):
                    endpoint = parsed;
                    break;
                case "--path" when value?.StartsWith('/') == true:
                    path = value;
                    break;
                case "--location" when value is not null:
                    location = value;
                    break;
                case "--rates" when value is not null && TryParseRates(value, out var parsedRates):
                    rates = parsedRates;
                    break;
                case "--duration" when int.TryParse(value, CultureInfo.InvariantCulture, out duration) && duration > 0:
                case "--concurrency" when int.TryParse(value, CultureInfo.InvariantCulture, out concurrency) && concurrency > 0:
                    break;
                default:
                    return null;
            }

            i++;
        }

        return endpoint is null || path is null || location is null
            ? null
            : new LoadGenOptions(endpoint, path, location, rates, duration, concurrency);
    }

    private static bool TryParseRates(string text, out IReadOnlyList<int> rates)
    {
        var parsed = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, CultureInfo.InvariantCulture, out var rate) || rate <= 0)
            {
                rates = [];
                return false;
            }

            parsed.Add(rate);
        }

        rates = parsed;
        return parsed.Count > 0;
    }
}
