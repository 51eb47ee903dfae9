using System.Diagnostics;
using System.Net;
using Sdp.Templates.Tests.Infrastructure;
using Sdp.Testing;
using Xunit.Abstractions;

namespace Sdp.Templates.Tests;

/// <summary>
/// What <see cref="TemplateDescriptor.ExpectedDeploySeconds"/> rests on: per template, a candidate provisioned as
/// the provisioner does (role, schema with the template's DDL, Redis user), the app started in-process and its
/// first <c>/health</c> answered 200, timed end to end. Prints p50/p95/max.
/// </summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class TemplateStartBenchmarks(CandidateStores stores, ITestOutputHelper output)
{
    private const int Runs = 20;

    [BenchmarkFact]
    public async Task Local_deploy_of_each_template()
    {
        foreach (var template in TemplateCatalog.All)
        {
            var timings = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                var watch = Stopwatch.StartNew();
                await using var app = await stores.StartAsync(template);
                using var health = await app.Http.GetAsync("/health");
                watch.Stop();
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }

            timings.Sort();
            output.WriteLine(
                $"{template.ProblemType,-20} provision + start + first healthy answer, {Runs} runs: p50 {Percentile(timings, 50):F1} ms, p95 {Percentile(timings, 95):F1} ms, max {timings[^1]:F1} ms (expected_deploy_seconds {template.ExpectedDeploySeconds})");
        }
    }

    private static double Percentile(List<double> sorted, int percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
