using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Sdp.AppHost;

namespace AppHost.Tests;

/// <summary>
/// The dashboard keeps its telemetry in a memory-backed folder, not in a database per run on disk, unless the
/// AppHost is told otherwise.
/// </summary>
public sealed class DashboardStorageTests : IDisposable
{
    private const string PersistenceMode = "Aspire:Dashboard:PersistenceMode";

    private readonly TestStateDirectory _state = new();

    [Fact]
    public async Task By_default_the_dashboard_keeps_one_database_for_the_run_in_the_memory_backed_folder()
    {
        Assert.True(Directory.Exists(DashboardStorage.MemoryFolder), "this test needs Linux's /dev/shm");

        var builder = await AppHostModel.CreateAsync(_state.Path);

        Assert.Equal("None", builder.Configuration[PersistenceMode]);
        var folder = Assert.Single(builder.Services.Where(s => s.ServiceType == typeof(IDistributedApplicationEventingSubscriber))
            .Select(s => s.ImplementationInstance).OfType<DashboardTemporaryFolder>());
        Assert.Equal(DashboardStorage.MemoryFolder, folder.Folder);
    }

    [Theory]
    [InlineData("--Aspire:Dashboard:PersistenceMode=Run")]
    [InlineData("--ASPIRE_DASHBOARD_PERSISTENCE_MODE=Resume")]
    public async Task A_persistence_mode_given_to_the_AppHost_is_left_as_given(string setting)
    {
        var builder = await AppHostModel.CreateAsync(_state.Path, setting);

        Assert.NotEqual("None", builder.Configuration[PersistenceMode] ?? builder.Configuration["ASPIRE_DASHBOARD_PERSISTENCE_MODE"]);
        Assert.DoesNotContain(builder.Services, s => s.ImplementationInstance is DashboardTemporaryFolder);
    }

    [Fact]
    public void Without_a_memory_backed_folder_Aspires_default_stays()
    {
        var builder = DistributedApplication.CreateBuilder([]);

        builder.KeepDashboardTelemetryInMemory(Path.Combine(_state.Path, "no-such-folder"));

        Assert.Null(builder.Configuration[PersistenceMode]);
        Assert.DoesNotContain(builder.Services, s => s.ImplementationInstance is DashboardTemporaryFolder);
    }

    [Fact]
    public async Task The_dashboard_process_and_no_other_gets_the_folder_as_its_temporary_folder()
    {
        var model = new DistributedApplicationModel(new IResource[]
        {
            new ExecutableResource(AspireDashboard.ResourceName, "Aspire.Dashboard", "."),
            new ExecutableResource("redis", "redis-server", "."),
        });

        new DashboardTemporaryFolder("/dev/shm").ApplyTo(model);

        var dashboard = await model.Resources.Single(r => r.Name == AspireDashboard.ResourceName).RunEnvironmentAsync();
        Assert.Equal("/dev/shm", dashboard["TMPDIR"]);
        var redis = await model.Resources.Single(r => r.Name == "redis").RunEnvironmentAsync();
        Assert.False(redis.ContainsKey("TMPDIR"));
    }

    [Fact]
    public void A_model_without_the_dashboard_is_left_alone()
    {
        var redis = new ExecutableResource("redis", "redis-server", ".");
        var model = new DistributedApplicationModel(new IResource[] { redis });

        new DashboardTemporaryFolder("/dev/shm").ApplyTo(model);

        Assert.Empty(redis.Annotations.OfType<EnvironmentCallbackAnnotation>());
    }

    public void Dispose() => _state.Dispose();
}
