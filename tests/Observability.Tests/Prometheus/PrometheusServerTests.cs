using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Observability.Tests.Infrastructure;

namespace Sdp.Observability.Tests.Prometheus;

[Collection(ObservedPlatformCollection.Name)]
public sealed class PrometheusServerTests(ObservedPlatformFixture platform)
{
    [Fact]
    public async Task The_hosts_prometheus_scrapes_every_service_and_loads_the_alert_rules()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        // The AppHost adds Prometheus only when its binary is installed.
        var model = platform.App.Services.GetRequiredService<DistributedApplicationModel>();
        Assert.True(model.Resources.Any(r => r.Name == "prometheus"),
            "Prometheus was not added: is the prometheus package installed (scripts/bootstrap.sh)?");
        using var prometheus = new HttpClient { BaseAddress = platform.App.GetEndpoint("prometheus", "http") };

        var rules = JsonDocument.Parse(await prometheus.GetStringAsync("/api/v1/rules?type=alert", timeout.Token)).RootElement;
        var alerts = rules.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => r.GetProperty("name").GetString()).Order().ToList();
        Assert.Equal(["DatabasePoolExhausted", "DeploymentFailuresRising", "HighErrorRate", "OrphansFound", "SlowDeployment"], alerts);

        await platform.DeployAsync(timeout.Token);

        // Scraped every 5 s: wait for every service to be up and the deployment to be counted.
        while (true)
        {
            var targets = JsonDocument.Parse(await prometheus.GetStringAsync("/api/v1/targets?state=active", timeout.Token)).RootElement
                .GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                .Select(t => (Job: t.GetProperty("labels").GetProperty("job").GetString(), Health: t.GetProperty("health").GetString()))
                .ToList();
            var completed = JsonDocument.Parse(await prometheus.GetStringAsync(
                    "/api/v1/query?query=" + Uri.EscapeDataString("sum(sdp_deployments_completed_total{job=\"provisioner-worker\",outcome=\"ready\"})"),
                    timeout.Token)).RootElement.GetProperty("data").GetProperty("result");
            if (ObservedPlatformFixture.Projects.All(p => targets.Contains((p, "up"))) && completed.GetArrayLength() == 1
                && double.Parse(completed[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 1)
            {
                return;
            }

            await Task.Delay(500, timeout.Token);
        }
    }
}
