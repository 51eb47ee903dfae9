using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Sdp.Simulator.Tests.Infrastructure;
using Sdp.Templates.Catalog;
using Sdp.Templates.Hosting;
using Xunit.Abstractions;

namespace Sdp.Simulator.Tests.UrlShortener;

/// <summary>
/// How long one in-process start takes: builder → Kestrel listening → first answered request. A benchmark:
/// <c>SDP_BENCHMARKS=1 dotnet test tests/Simulator.Tests --filter TemplateStartTimeTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class TemplateStartTimeTests(ITestOutputHelper output)
{
    [BenchmarkFact]
    public async Task Measure_fifty_in_process_starts()
    {
        const int Starts = 50;
        var host = new TemplateHost(NullLoggerFactory.Instance);
        using var http = new HttpClient();
        var toListening = new List<double>();
        var toFirstAnswer = new List<double>();
        var stop = new List<double>();
        double? cold = null;

        for (var i = 0; i < Starts + 1; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var app = await host.StartAsync(UrlShortenerTemplate.Descriptor, CandidateEnv.Unreachable(100 + i), CancellationToken.None);
            var listening = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            using (var response = await http.GetAsync(new Uri(app.Url, "/alive")))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var answered = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var stopping = Stopwatch.GetTimestamp();
            await app.DisposeAsync();
            var stopped = Stopwatch.GetElapsedTime(stopping).TotalMilliseconds;

            // The first start in a process pays for loading and JIT; it is reported apart.
            if (i == 0)
            {
                cold = answered;
                continue;
            }

            toListening.Add(listening);
            toFirstAnswer.Add(answered);
            stop.Add(stopped);
        }

        output.WriteLine($"First start in the process (cold): {cold:0.0} ms to first answer");
        output.WriteLine($"Start → listening, {Starts} runs: {Percentiles.Describe(toListening)}");
        output.WriteLine($"Start → first answered request, {Starts} runs: {Percentiles.Describe(toFirstAnswer)}");
        output.WriteLine($"Stop, {Starts} runs: {Percentiles.Describe(stop)}");
    }
}
