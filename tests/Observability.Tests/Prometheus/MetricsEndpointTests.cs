using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Sdp.Observability.Tests.Infrastructure;

namespace Sdp.Observability.Tests.Prometheus;

[Collection(ObservedPlatformCollection.Name)]
public sealed class MetricsEndpointTests(ObservedPlatformFixture platform)
{
    [Fact]
    public async Task Every_service_serves_metrics_that_promtool_accepts()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await platform.DeployAsync(timeout.Token);

        foreach (var project in ObservedPlatformFixture.Projects)
        {
            var metrics = await ScrapeAsync(project, timeout.Token);
            var (exitCode, output) = await Promtool.RunAsync(["check", "metrics"], metrics, timeout.Token);
            Assert.True(exitCode == 0 && output.Length == 0, $"{project}: promtool check metrics said:\n{output}");
        }

        // MassTransit's meter, its durations in seconds, where messages went through.
        foreach (var project in new[] { "orchestrator-api", "provisioner-worker" })
        {
            var metrics = await ScrapeAsync(project, timeout.Token);
            Assert.Contains("messaging_masstransit_consume_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
            Assert.DoesNotContain("_milliseconds", metrics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_provisioner_reports_deployments_by_outcome_with_their_time_and_cold_start()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        (string, string)[] labels = [("problem_type", "url_shortener"), ("target", "cloud_run"), ("outcome", "ready")];
        var before = await ScrapeAsync("provisioner-worker", timeout.Token);
        await platform.DeployAsync(timeout.Token);

        var after = await ScrapeAsync("provisioner-worker", timeout.Token);
        Assert.Equal(PrometheusText.Sum(before, "sdp_deployments_completed_total", labels) + 1,
            PrometheusText.Sum(after, "sdp_deployments_completed_total", labels));
        Assert.Equal(PrometheusText.Sum(before, "sdp_deployment_duration_seconds_count", labels) + 1,
            PrometheusText.Sum(after, "sdp_deployment_duration_seconds_count", labels));
        Assert.Equal(
            PrometheusText.Sum(before, "sdp_container_cold_start_duration_seconds_count", ("problem_type", "url_shortener"), ("target", "cloud_run")) + 1,
            PrometheusText.Sum(after, "sdp_container_cold_start_duration_seconds_count", ("problem_type", "url_shortener"), ("target", "cloud_run")));
        Assert.Single(PrometheusText.Values(after, "sdp_deployment_duration_seconds_bucket", [.. labels, ("le", "+Inf")]));

        // The platform's pool, named by its connection, not by its connection string.
        Assert.Single(PrometheusText.Values(after, "db_client_connections_usage",
            ("db_client_connection_pool_name", "sdpdb"), ("db_client_connection_state", "used")));
        Assert.True(PrometheusText.Sum(after, "db_client_connection_max", ("db_client_connection_pool_name", "sdpdb")) > 0);
    }

    [Fact]
    public async Task The_orchestrator_reports_deployments_by_state()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await platform.DeployAsync(timeout.Token);

        // The gauge is refreshed every 5 s.
        while (true)
        {
            var metrics = await ScrapeAsync("orchestrator-api", timeout.Token);
            if (PrometheusText.Sum(metrics, "sdp_deployments_current", ("state", "ready")) >= 1)
            {
                Assert.Single(PrometheusText.Values(metrics, "sdp_deployments_current", ("state", "queued")));
                return;
            }

            await Task.Delay(500, timeout.Token);
        }
    }

    [Fact]
    public async Task Label_sets_stay_bounded_however_many_candidates_run()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ports = new List<int>();
        foreach (var id in new[] { await platform.DeployAsync(timeout.Token), await platform.DeployAsync(timeout.Token) })
        {
            var deployment = await platform.Api.GetFromJsonAsync<JsonElement>($"/api/deployments/{id}",
                ObservedPlatformFixture.Json, timeout.Token);
            ports.Add(new Uri(deployment.GetProperty("endpoint_url").GetString()!).Port);
        }

        foreach (var project in ObservedPlatformFixture.Projects)
        {
            var metrics = await ScrapeAsync(project, timeout.Token);
            // No deployment id, candidate name or connection string ever becomes a label value.
            Assert.DoesNotMatch("""="[^"]*candidate_\d+""", metrics);
            Assert.DoesNotContain("Password=", metrics, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch("""deployment_id="\d+""", metrics);
            // Nor a candidate service's address: the provisioner's health probe reaches every one of them.
            foreach (var port in ports)
            {
                var at = metrics.IndexOf($"server_port=\"{port}\"", StringComparison.Ordinal);
                Assert.True(at < 0, $"{project}: " + (at < 0 ? "" : metrics[metrics.LastIndexOf('\n', at)..at]));
            }
        }
    }

    private async Task<string> ScrapeAsync(string project, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = platform.App.GetEndpoint(project, "http") };
        return await client.GetStringAsync("/metrics", cancellationToken);
    }
}
