using Sdp.AppHost;
using Sdp.Observability.Tests.Infrastructure;
using Sdp.Testing;

namespace Sdp.Observability.Tests.Dashboard;

/// <summary>The running dashboard keeps the telemetry it is sent in memory, not in a database on disk.</summary>
[Collection(ObservedPlatformCollection.Name)]
public sealed class DashboardStorageTests(ObservedPlatformFixture platform)
{
    [Fact]
    public void The_dashboards_database_is_open_in_the_memory_backed_folder_and_nowhere_on_disk()
    {
        var pid = platform.App.GetProcessId(AspireDashboard.ResourceName) ?? throw new InvalidOperationException("The dashboard has no process.");

        var openFiles = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .OfType<string>()
            .Where(target => target.StartsWith('/'))
            .ToList();

        var databases = openFiles.Where(file => Path.GetFileName(file).StartsWith("dashboard.db", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(databases);
        Assert.All(databases, file => Assert.StartsWith("/dev/shm/aspire-dashboard-", file, StringComparison.Ordinal));
    }
}
