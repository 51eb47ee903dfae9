using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Sdp.AppHost.Dashboard;

/// <summary>
/// Keeps the deployments resource live: every 2 s it reads the Orchestrator's figures and publishes them as the
/// resource's snapshot, when they changed. While the orchestrator is not answering (not started yet, restarting,
/// stopped from the dashboard) the resource says so and polling goes on, so the figures come back by themselves.
/// </summary>
/// <remarks>
/// Each poll scrapes <c>/metrics</c>, which no trace records; the pools and the newest deployments are API
/// requests, each a trace in the dashboard, so they are read only when the scraped figures moved (or every
/// <see cref="ListRefresh"/>): an idle platform is not buried in the view's own traces.
/// </remarks>
internal sealed class DeploymentsPoller(
    DeploymentsResource resource,
    OrchestratorAdminApi api,
    DashboardLinks links,
    ResourceNotificationService notifications,
    ILogger log,
    TimeProvider time)
{
    /// <summary>As often as the old dashboard page refreshed; the counts themselves move every 5 s.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>The lists are read again after this long even when no figure moved (an error text, an expiry).</summary>
    public static readonly TimeSpan ListRefresh = TimeSpan.FromSeconds(30);

    /// <summary>Properties and links for this many of the newest deployments.</summary>
    public const int RecentCount = 10;

    private string? _lastFailure;
    private string? _listedSignature;
    private DateTimeOffset _listedAt;
    private IReadOnlyList<StandbyPool> _pools = [];
    private IReadOnlyList<DeploymentSummary> _recent = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The application stops.
        }
        finally
        {
            api.Dispose();
        }
    }

    private async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        OrchestratorFigures figures;
        try
        {
            figures = await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is HttpRequestException or JsonException or OperationCanceledException or IOException)
        {
            var reason = e is OperationCanceledException
                ? $"no answer within {OrchestratorAdminApi.PollTimeout.TotalSeconds:0} s"
                : e.Message;
            if (reason != _lastFailure)
            {
                // Once per distinct failure, not every 2 s.
                log.LogWarning("orchestrator-api is not answering ({Reason}); asking again every {Interval} s", reason,
                    Interval.TotalSeconds);
                _lastFailure = reason;
            }

            // Whatever happened meanwhile, list again once it answers.
            _listedSignature = null;
            await PublishAsync(s => DeploymentsSnapshot.Waiting(s, reason)).ConfigureAwait(false);
            return;
        }

        if (_lastFailure is not null)
        {
            log.LogInformation("orchestrator-api answers again");
            _lastFailure = null;
        }

        var dashboard = links.BaseUrl;
        await PublishAsync(s => DeploymentsSnapshot.Running(s, figures, dashboard, time.GetUtcNow().UtcDateTime))
            .ConfigureAwait(false);
    }

    private async Task<OrchestratorFigures> ReadAsync(CancellationToken cancellationToken)
    {
        var metrics = await api.ReadMetricsAsync(cancellationToken).ConfigureAwait(false);
        var signature = OrchestratorFigures.Signature(metrics);
        var now = time.GetUtcNow();
        if (signature != _listedSignature || now - _listedAt >= ListRefresh)
        {
            (_pools, _recent) = await api.ReadListsAsync(RecentCount, cancellationToken).ConfigureAwait(false);
            _listedSignature = signature;
            _listedAt = now;
        }

        return new OrchestratorFigures(OrchestratorFigures.ParseCounts(metrics), _pools, _recent);
    }

    /// <summary>
    /// Publishes the update unless it shows exactly what the resource shows now: each update re-renders the
    /// dashboard's resource, and most polls find nothing new.
    /// </summary>
    private async Task PublishAsync(Func<CustomResourceSnapshot, CustomResourceSnapshot> update)
    {
        if (notifications.TryGetCurrentState(resource.Name, out var current)
            && DeploymentsSnapshot.SameView(current.Snapshot, update(current.Snapshot)))
        {
            return;
        }

        await notifications.PublishUpdateAsync(resource, update).ConfigureAwait(false);
    }
}
