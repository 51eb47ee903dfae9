using System.Globalization;

namespace Sdp.Observability.Tests.Infrastructure;

/// <summary>Reads samples out of Prometheus's text format, whatever order the labels come in.</summary>
public static class PrometheusText
{
    /// <summary>The values of the samples named <paramref name="name"/> that carry every one of <paramref name="labels"/>.</summary>
    public static IReadOnlyList<double> Values(string metrics, string name, params (string Name, string Value)[] labels) =>
        [.. metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(line => labels.All(l => line.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal)))
            .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))];

    public static double Sum(string metrics, string name, params (string Name, string Value)[] labels) =>
        Values(metrics, name, labels).Sum();
}
