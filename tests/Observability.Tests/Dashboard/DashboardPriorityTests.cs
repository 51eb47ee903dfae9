using System.Globalization;
using Sdp.Observability.Tests.Infrastructure;
using Sdp.Testing;

namespace Sdp.Observability.Tests.Dashboard;

/// <summary>
/// Aspire's dashboard ingests every service's telemetry; on a busy machine the platform's own work goes first.
/// </summary>
[Collection(ObservedPlatformCollection.Name)]
public sealed class DashboardPriorityTests(ObservedPlatformFixture platform)
{
    [Fact]
    public async Task The_dashboard_runs_below_the_platform_and_the_services_at_their_usual_priority()
    {
        var dashboard = ProcessId("aspire-dashboard");

        // The AppHost lowers it once it sees the dashboard's process, while the platform is still starting.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Niceness(dashboard).Any(nice => nice != 10) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.NotEmpty(Niceness(dashboard));
        Assert.All(Niceness(dashboard), nice => Assert.Equal(10, nice));
        foreach (var service in ObservedPlatformFixture.Projects)
        {
            Assert.All(Niceness(ProcessId(service)), nice => Assert.Equal(0, nice));
        }
    }

    private int ProcessId(string resource) =>
        Convert.ToInt32(platform.App.GetSnapshot(resource)!.Properties.Single(p => p.Name == "executable.pid").Value,
            CultureInfo.InvariantCulture);

    /// <summary>The nice value of each thread of the process (Linux keeps one per thread).</summary>
    private static List<int> Niceness(int pid) =>
    [
        .. Directory.GetDirectories($"/proc/{pid}/task").Select(task =>
        {
            var stat = File.ReadAllText(Path.Combine(task, "stat"));
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], CultureInfo.InvariantCulture);
        }),
    ];
}
