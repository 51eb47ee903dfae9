using Sdp.Observability.Tests.Infrastructure;

namespace Sdp.Observability.Tests.Prometheus;

public sealed class AlertRulesTests
{
    [Fact]
    public async Task Promtool_accepts_the_rules_file()
    {
        var (exitCode, output) = await Promtool.RunAsync(["check", "rules", "sdp-alerts.yml"], null, CancellationToken.None);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 5 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_alert_fires_on_the_data_it_is_meant_for_and_stays_quiet_otherwise()
    {
        // The unit tests name every alert: SlowDeployment, DeploymentFailuresRising, HighErrorRate,
        // DatabasePoolExhausted, OrphansFound, each both firing and not firing.
        var (exitCode, output) = await Promtool.RunAsync(["test", "rules", "sdp-alerts.test.yml"], null, CancellationToken.None);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }
}
