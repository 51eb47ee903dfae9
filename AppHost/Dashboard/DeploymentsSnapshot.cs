using System.Collections.Immutable;
using System.Globalization;

namespace Sdp.AppHost.Dashboard;

/// <summary>
/// Turns what a poll read into the deployments resource's snapshot: the headline counts in the resources grid's
/// Source column, one property per count, per standby pool and per recent deployment in its details, and links to
/// each ready deployment's endpoint, to each deployment's trace and to the deployment charts.
/// </summary>
internal static class DeploymentsSnapshot
{
    /// <summary>The property names this view owns; any other property on the snapshot is left alone.</summary>
    private static readonly string[] OwnedPrefixes = ["deployments.", "standby.", "recent."];

    public const string RunningState = "Running";
    public const string WaitingState = "Waiting for orchestrator-api";

    public static CustomResourceSnapshot Running(CustomResourceSnapshot current, OrchestratorFigures figures,
        Uri? dashboard, DateTime now) => current with
        {
            State = new ResourceStateSnapshot(RunningState, KnownResourceStateStyles.Success),
            StartTimeStamp = current.State?.Text == RunningState ? current.StartTimeStamp : now,
            StopTimeStamp = null,
            Properties = Replace(current.Properties, Properties(figures)),
            Urls = Urls(figures, dashboard),
        };

    /// <summary>
    /// The orchestrator is not answering (or refuses): say so and why, in the grid too, and keep the last figures
    /// in the details until it answers again.
    /// </summary>
    public static CustomResourceSnapshot Waiting(CustomResourceSnapshot current, string reason) => current with
    {
        State = new ResourceStateSnapshot(WaitingState, KnownResourceStateStyles.Info),
        Properties = Replace(current.Properties, [
            new(CustomResourceKnownProperties.Source, $"waiting for orchestrator-api: {reason}"),
            new("deployments.unavailable", reason),
        ], keepOwned: true),
    };

    /// <summary>Whether two snapshots show the same thing: an unchanged poll publishes nothing.</summary>
    public static bool SameView(CustomResourceSnapshot a, CustomResourceSnapshot b) =>
        a.State?.Text == b.State?.Text
        && a.Properties.Select(p => (p.Name, Text(p.Value))).SequenceEqual(b.Properties.Select(p => (p.Name, Text(p.Value))))
        && a.Urls.Select(u => (u.Name, u.Url)).SequenceEqual(b.Urls.Select(u => (u.Name, u.Url)));

    private static List<ResourcePropertySnapshot> Properties(OrchestratorFigures figures)
    {
        var properties = new List<ResourcePropertySnapshot> { new(CustomResourceKnownProperties.Source, Summary(figures)) };
        foreach (var state in OrchestratorFigures.States)
        {
            properties.Add(new($"deployments.{state}", figures.CountsByState?.GetValueOrDefault(state)));
        }

        foreach (var pool in figures.Pools)
        {
            properties.Add(new($"standby.{pool.ProblemType}",
                $"{pool.Ready} of {pool.Size} ready, {pool.NotAnswering} not answering, {pool.Provisioning} building, "
                + $"{pool.Failed} failed, {pool.Removing} removing"
                + (pool.Size == pool.ConfiguredSize ? "" : $" (configured size {pool.ConfiguredSize})")));
        }

        for (var i = 0; i < figures.Recent.Count; i++)
        {
            properties.Add(new($"recent.{i + 1:00}", Describe(figures.Recent[i])));
        }

        return properties;
    }

    /// <summary>
    /// The live deployments at a glance, for the grid: what is ready, on its way, being removed or failed, and how
    /// full the standby pools are.
    /// </summary>
    private static string Summary(OrchestratorFigures figures)
    {
        if (figures.CountsByState is not { } counts)
        {
            return "counting deployments…";
        }

        string[] shown = ["ready", "provisioning", "queued", "generating", "cleaning", "failed"];
        var summary = string.Join(", ", shown.Select(s => $"{counts.GetValueOrDefault(s)} {s}"));
        return figures.Pools.Count == 0 ? summary
            : $"{summary}; standby {figures.Pools.Sum(p => p.Ready)} of {figures.Pools.Sum(p => p.Size)} ready";
    }

    /// <summary>"#42 url_shortener, ready in 2.6 s (cold start), queued 14:02:11 UTC, http://127.0.0.1:41234/".</summary>
    private static string Describe(DeploymentSummary d)
    {
        // A model wrote its service spec from the design (shown while generating, and after).
        var text = $"#{d.Id} {d.ProblemType}{(d.Generated ? " (generated spec)" : "")}, {d.State}";
        if (d.WarmStart)
        {
            // A claimed standby slot is ready the moment it is accepted; its build time is the slot's own.
            text += " (warm start)";
        }
        else if (d.DeploymentTimeSeconds is { } seconds && d.Timestamps.Ready is not null)
        {
            text += $" in {seconds.ToString("0.###", CultureInfo.InvariantCulture)} s (cold start)";
        }

        text += $", queued {d.Timestamps.Queued.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC";
        if (d.EndpointUrl is { Length: > 0 } endpoint && d.State == "ready")
        {
            text += $", {endpoint}";
        }

        if (d.Error is { Length: > 0 } error)
        {
            text += $", error: {error}";
        }

        return text;
    }

    private static ImmutableArray<UrlSnapshot> Urls(OrchestratorFigures figures, Uri? dashboard)
    {
        var urls = ImmutableArray.CreateBuilder<UrlSnapshot>();
        var order = 0;
        // Ready endpoints first, in the grid; the rest only in the details.
        foreach (var d in figures.Recent.Where(d => d.State == "ready" && Uri.IsWellFormedUriString(d.EndpointUrl, UriKind.Absolute)))
        {
            urls.Add(new UrlSnapshot($"deployment-{d.Id}", d.EndpointUrl!, IsInternal: false)
            {
                DisplayProperties = new UrlDisplayPropertiesSnapshot($"#{d.Id} {d.ProblemType}", order--),
            });
        }

        if (dashboard is not null)
        {
            foreach (var d in figures.Recent)
            {
                urls.Add(new UrlSnapshot($"trace-{d.Id}", DashboardLinks.DeploymentTraces(dashboard, d.Id), IsInternal: true)
                {
                    DisplayProperties = new UrlDisplayPropertiesSnapshot($"#{d.Id} trace", order--),
                });
            }

            urls.Add(new UrlSnapshot("chart-by-state",
                DashboardLinks.Chart(dashboard, "orchestrator-api", "sdp.deployments.current"), IsInternal: true)
            {
                DisplayProperties = new UrlDisplayPropertiesSnapshot("Chart: deployments by state", order--),
            });
            urls.Add(new UrlSnapshot("chart-deployment-time",
                DashboardLinks.Chart(dashboard, "provisioner-worker", "sdp.deployment.duration"), IsInternal: true)
            {
                DisplayProperties = new UrlDisplayPropertiesSnapshot("Chart: deployment time", order--),
            });
        }

        return urls.ToImmutable();
    }

    private static ImmutableArray<ResourcePropertySnapshot> Replace(ImmutableArray<ResourcePropertySnapshot> current,
        IEnumerable<ResourcePropertySnapshot> owned, bool keepOwned = false)
    {
        var replaced = owned.ToList();
        var names = replaced.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var kept = current.Where(p => !names.Contains(p.Name)
            && (keepOwned || !OwnedPrefixes.Any(prefix => p.Name.StartsWith(prefix, StringComparison.Ordinal))));
        return [.. kept, .. replaced];
    }

    private static string? Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture);
}
