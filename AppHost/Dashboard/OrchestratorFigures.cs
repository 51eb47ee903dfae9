using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sdp.AppHost.Dashboard;

/// <summary>What one poll of the Orchestrator read: the figures the deployments resource shows.</summary>
/// <param name="CountsByState">
/// Deployments in each state, from the Orchestrator's <c>sdp.deployments.current</c> gauge (it counts every
/// deployment, refreshed every 5 s); null until the gauge has been observed once.
/// </param>
/// <param name="Pools">Each template's standby pool.</param>
/// <param name="Recent">The newest deployments, newest first.</param>
internal sealed record OrchestratorFigures(
    IReadOnlyDictionary<string, int>? CountsByState,
    IReadOnlyList<StandbyPool> Pools,
    IReadOnlyList<DeploymentSummary> Recent)
{
    /// <summary>The deployment states, in lifecycle order (failed last).</summary>
    public static readonly string[] States = ["generating", "queued", "provisioning", "ready", "cleaning", "deleted", "failed"];

    /// <summary>The Orchestrator's JSON: snake_case, as its API documents it.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private const string GaugeName = "sdp_deployments_current";

    /// <summary>
    /// What moves when a deployment or a standby slot does: the deployments by state, accepted, expired, retried
    /// and failed, and the standby slots and sizes. The same text twice means nothing to list again.
    /// </summary>
    public static string Signature(string metrics)
    {
        var moving = new StringBuilder();
        foreach (var line in metrics.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("sdp_deployments_", StringComparison.Ordinal) || line.StartsWith("sdp_standby_", StringComparison.Ordinal))
            {
                moving.Append(line).Append('\n');
            }
        }

        return moving.ToString();
    }

    /// <summary>
    /// The gauge's samples out of a Prometheus scrape. The scrape is the cheap way to the counts: the Orchestrator
    /// keeps them refreshed for Prometheus anyway, and the API has no count endpoint (listing every deployment
    /// page by page to count them would cost a query per hundred deployments, every poll).
    /// </summary>
    public static IReadOnlyDictionary<string, int>? ParseCounts(string metrics)
    {
        Dictionary<string, int>? counts = null;
        foreach (var line in metrics.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith(GaugeName + "{", StringComparison.Ordinal))
            {
                continue;
            }

            var text = line.ToString();
            var label = text.IndexOf("state=\"", StringComparison.Ordinal);
            var value = text.LastIndexOf(' ');
            if (label < 0 || value < 0)
            {
                continue;
            }

            var state = text[(label + 7)..text.IndexOf('"', label + 7)];
            if (double.TryParse(text[(value + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                counts ??= [];
                counts[state] = (int)count;
            }
        }

        return counts;
    }
}

/// <summary>One template's standby pool, as <c>GET /api/admin/standby</c> reports it.</summary>
internal sealed record StandbyPool(string ProblemType, int Size, int ConfiguredSize, int Ready, int Provisioning,
    int Failed, int Removing, int NotAnswering);

internal sealed record StandbyPoolList(IReadOnlyList<StandbyPool> Pools);

/// <summary>The part of a deployment (<c>GET /api/deployments</c>) the view shows.</summary>
internal sealed record DeploymentSummary(
    long Id,
    string State,
    string ProblemType,
    string? EndpointUrl,
    double? DeploymentTimeSeconds,
    bool WarmStart,
    string? Error,
    DeploymentTimestamps Timestamps,
    bool Generated = false);

internal sealed record DeploymentTimestamps(DateTimeOffset Queued, DateTimeOffset? Ready, DateTimeOffset? Failed);

internal sealed record DeploymentPage(IReadOnlyList<DeploymentSummary> Items);
