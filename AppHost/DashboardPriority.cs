using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sdp.AppHost;

/// <summary>
/// Aspire's dashboard runs below the platform in CPU priority. Ingesting every service's traces and logs is the
/// dashboard's steady work: about a fifth of a core while deployments are built one after another, on a machine the
/// platform shares with the deployments it serves. At nice 10 it still takes every idle cycle, and when the cores are
/// busy a deployment's next step goes first and the telemetry is shown a moment later (measured: docs/benchmarks.md).
/// Only the dashboard: Aspire's orchestrator starts the platform's processes, which would inherit its priority.
/// </summary>
internal static class DashboardPriority
{
    public const int Niceness = 10;

    // Aspire's names for the dashboard resource and a process's id in a resource's snapshot (internal to Aspire).
    private const string DashboardResource = "aspire-dashboard";
    private const string ProcessIdProperty = "executable.pid";

    public static IDistributedApplicationBuilder RunDashboardBelowThePlatform(this IDistributedApplicationBuilder builder)
    {
        if (OperatingSystem.IsLinux())
        {
            builder.Services.AddHostedService<Lowering>();
        }

        return builder;
    }

    /// <summary>Lowers the dashboard's priority each time it (re)starts with a process id of its own.</summary>
    private sealed class Lowering(ResourceNotificationService notifications, ILogger<Lowering> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            int? lowered = null;
            try
            {
                await foreach (var update in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
                {
                    if (update.Resource.Name != DashboardResource || ProcessId(update.Snapshot) is not { } pid || pid == lowered)
                    {
                        continue;
                    }

                    lowered = pid;
                    var threads = ProcessPriority.Lower(pid, Niceness);
                    logger.LogDebug("The dashboard (process {ProcessId}) runs at nice {Niceness}: {Threads} threads lowered",
                        pid, Niceness, threads);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // The AppHost stops.
            }
        }

        private static int? ProcessId(CustomResourceSnapshot snapshot) =>
            snapshot.Properties.FirstOrDefault(p => p.Name == ProcessIdProperty)?.Value is { } value
                ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
                : null;
    }
}
