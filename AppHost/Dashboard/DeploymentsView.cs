namespace Sdp.AppHost.Dashboard;

internal static class DeploymentsView
{
    public static void AddDeploymentsView(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ProjectResource> orchestrator, string adminKey)
    {
        _ = builder;
        _ = name;
        _ = orchestrator;
        _ = adminKey;
    }
}
