using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;
using Sdp.Templates.Catalog.Custom;
using Sdp.Testing;
using Xunit.Abstractions;

namespace Sdp.Platform.Tests.CustomSpecs;

/// <summary>
/// How long a custom deployment takes beside a URL shortener in the same run, built on request (the test platform
/// keeps no standby pools), at C = 1 and C = 8; and what generating the spec adds, with the local stand-in model.
/// Client time: POST sent → <c>ready</c> seen (the API's long poll). A benchmark, not a test:
/// <c>SDP_BENCHMARKS=1 dotnet test tests/Platform.Tests -c Release --filter CustomDeployBenchmarks --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CustomDeployBenchmarks(PlatformFixture platform, ITestOutputHelper output)
{
    private const int PerRun = 40;

    private readonly PlatformClient client = new(platform);

    [BenchmarkFact]
    public async Task Measure_custom_deploys_beside_url_shorteners_and_what_generation_adds()
    {
        // The request's JSON is snake_case, as the spec's own serializer writes it.
        var chat = JsonSerializer.SerializeToElement(ServiceSpecExamples.ChatSystem, ServiceSpecJson.SerializerOptions);
        var repeated = $"A chat system: users, rooms and messages (benchmark {Guid.NewGuid():N}).";
        // One warm-up of each, so the first measured deployments do not pay for the services' first compilation.
        await MeasureAsync("warm-up", 2, 4, _ => new { problem_type = "url_shortener", design_text = "warm-up" });
        await MeasureAsync("warm-up", 2, 4, _ => new { problem_type = "custom", design_text = "warm-up", service_spec = chat });

        foreach (var concurrency in new[] { 1, 8 })
        {
            await MeasureAsync("url_shortener", concurrency, PerRun,
                _ => new { problem_type = "url_shortener", design_text = "Base62 codes, Redis cache-aside." });
            await MeasureAsync("custom, the chat-system spec given", concurrency, PerRun,
                _ => new { problem_type = "custom", design_text = "Users, rooms and messages.", service_spec = chat });
            await MeasureAsync("chat_system, generated (a new design each)", concurrency, PerRun,
                i => new { problem_type = "chat_system", design_text = $"A chat system: users, rooms and messages ({Guid.NewGuid():N}, {i})." });
            await MeasureAsync("chat_system, the same design (spec remembered)", concurrency, PerRun,
                _ => new { problem_type = "chat_system", design_text = repeated });
        }
    }

    private async Task MeasureAsync(string label, int concurrency, int count, Func<int, object> body)
    {
        var times = new List<double>();
        var ids = new List<long>();
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await platform.Api.PostAsJsonAsync("/api/deployments", body(i));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                var accepted = (await response.Content.ReadFromJsonAsync<DeploymentView>(PlatformFixture.Json))!;
                await client.WaitForStateAsync(accepted.Id, "ready");
                var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                // Removed at once, so the tenant's live count stays at the concurrency, as for every label.
                await client.DeleteAsync(accepted.Id);
                lock (times)
                {
                    times.Add(elapsed);
                    ids.Add(accepted.Id);
                }
            }
        }));
        var seconds = wall.Elapsed.TotalSeconds;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-48} C = {concurrency}  N = {count}  p50 {Percentile(times, 0.50),7:0.0} ms  p95 {Percentile(times, 0.95),7:0.0} ms  p99 {Percentile(times, 0.99),7:0.0} ms  {count / seconds,5:0.0}/s"));
        foreach (var id in ids)
        {
            await client.WaitForStateAsync(id, "deleted");
        }
    }

    private static double Percentile(List<double> values, double quantile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
