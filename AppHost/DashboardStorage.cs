using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Sdp.AppHost;

/// <summary>
/// Where Aspire's dashboard keeps the telemetry it receives. By default (persistence mode <c>Run</c>) it writes every
/// span, log and metric point to a SQLite database on disk, one per run under <c>~/.aspire/dashboard</c>, ten runs
/// kept. Over the deploy benchmark that was about 850 MB in 885,000 writes per 200 deployments, on the disk whose
/// flushes PostgreSQL's commits wait for, outside the state folder. Sdp keeps it in memory instead: mode <c>None</c>
/// (one database for the dashboard process, deleted when it stops, an abandoned one removed at the next start) in a
/// memory-backed temporary folder. Every live view is unchanged; what goes is browsing earlier runs' telemetry.
/// </summary>
public static class DashboardStorage
{
    /// <summary>The AppHost's settings for the dashboard's persistence mode: Aspire reads the first, then the second.</summary>
    public static readonly string[] PersistenceModeSettings =
        ["ASPIRE_DASHBOARD_PERSISTENCE_MODE", "Aspire:Dashboard:PersistenceMode"];

    /// <summary>Linux's memory-backed folder; a machine without it keeps Aspire's default.</summary>
    public const string MemoryFolder = "/dev/shm";

    /// <summary>
    /// Keeps the dashboard's telemetry in <paramref name="memoryFolder"/> unless a persistence mode is set (e.g.
    /// <c>--Aspire:Dashboard:PersistenceMode=Run</c> brings back Aspire's run history) or there is no such folder.
    /// </summary>
    public static IDistributedApplicationBuilder KeepDashboardTelemetryInMemory(this IDistributedApplicationBuilder builder,
        string memoryFolder = MemoryFolder)
    {
        if (PersistenceModeSettings.Any(setting => !string.IsNullOrWhiteSpace(builder.Configuration[setting]))
            || !Directory.Exists(memoryFolder))
        {
            return builder;
        }

        builder.Configuration[PersistenceModeSettings[^1]] = "None";
        // Mode None makes its database in the process's temporary folder; the dashboard resource exists only once
        // Aspire's own BeforeStartEvent handler has added it, and subscribers registered later subscribe later.
        builder.Services.AddSingleton<IDistributedApplicationEventingSubscriber>(new DashboardTemporaryFolder(memoryFolder));
        return builder;
    }
}

/// <summary>Gives the dashboard process <see cref="Folder"/> as its temporary folder (TMPDIR).</summary>
public sealed class DashboardTemporaryFolder(string folder) : IDistributedApplicationEventingSubscriber
{
    public string Folder { get; } = folder;

    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext,
        CancellationToken cancellationToken)
    {
        eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            ApplyTo(@event.Model);
            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }

    /// <summary>Sets TMPDIR on the dashboard resource, if the model has one (the testing builder's has not, by default).</summary>
    public void ApplyTo(DistributedApplicationModel model)
    {
        AspireDashboard.Find(model)?.Annotations.Add(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables["TMPDIR"] = Folder));
    }
}
