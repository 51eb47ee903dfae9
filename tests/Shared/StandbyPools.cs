using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Sdp.Testing;

public static class StandbyPools
{
    /// <summary>
    /// The Orchestrator without standby pools, so every deployment of a test goes the whole way (queued →
    /// provisioning → ready) and no refill runs in the background. Tests of the pools size them through the API.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithoutStandbyPools(this IResourceBuilder<ProjectResource> orchestrator)
    {
        foreach (var problemType in (string[])["url_shortener", "rate_limiter", "distributed_cache", "notification_system"])
        {
            orchestrator.WithEnvironment($"Standby__Pools__{problemType}", "0");
        }

        return orchestrator;
    }
}
