using System.Globalization;
using System.Web;

namespace Sdp.AppHost.Dashboard;

/// <summary>
/// Links into the Aspire dashboard this AppHost runs: a deployment's traces and the deployment charts. None while
/// the dashboard is off (as under Aspire.Hosting.Testing by default) or before its endpoint is allocated.
/// </summary>
internal sealed class DashboardLinks(DistributedApplicationModel model)
{
    /// <summary>The span attribute the provisioner puts on "provision deployment": it finds a deployment's trace.</summary>
    public const string DeploymentIdAttribute = "sdp.deployment.id";

    /// <summary>The meter the deployment instruments are on (SdpMetrics in ServiceDefaults).</summary>
    private const string Meter = "Sdp";

    public Uri? BaseUrl
    {
        get
        {
            var dashboard = AspireDashboard.Find(model);
            var endpoint = dashboard?.GetEndpoints()
                .Where(e => e.EndpointName is "https" or "http" && e.IsAllocated)
                .OrderBy(e => e.EndpointName == "https" ? 0 : 1)
                .FirstOrDefault();
            return endpoint is null ? null : new Uri(endpoint.Url);
        }
    }

    /// <summary>
    /// The dashboard's traces page filtered to the deployment's provisioning trace: every trace with a span whose
    /// <c>sdp.deployment.id</c> is the id (the dashboard's filter syntax: field:equals:value, each part URL-encoded).
    /// </summary>
    public static string DeploymentTraces(Uri dashboard, long deploymentId)
    {
        var filter = $"{HttpUtility.UrlEncode(DeploymentIdAttribute)}:equals:{deploymentId.ToString(CultureInfo.InvariantCulture)}";
        return new Uri(dashboard, "/traces?filters=" + Uri.EscapeDataString(filter)).ToString();
    }

    /// <summary>The dashboard's chart of one of the Sdp meter's instruments on one resource.</summary>
    public static string Chart(Uri dashboard, string resource, string instrument) =>
        new Uri(dashboard, $"/metrics/resource/{Uri.EscapeDataString(resource)}?meter={Meter}&instrument={Uri.EscapeDataString(instrument)}")
            .ToString();
}
