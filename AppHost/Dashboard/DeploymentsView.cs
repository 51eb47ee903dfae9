using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Sdp.AppHost.Dashboard;

internal static class DeploymentsView
{
    /// <summary>
    /// Adds the live deployments view to the dashboard: a resource <paramref name="name"/> under
    /// <paramref name="orchestrator"/> that shows the deployments by state, each standby pool and the newest
    /// deployments (with links to their endpoints and traces), kept live from the Orchestrator (polled every 2 s,
    /// <see cref="DeploymentsPoller"/>), and the operator's commands (sweep orphans now, show orphans, resize a
    /// standby pool). It calls the API with <paramref name="adminKey"/>, which stays in the AppHost.
    /// </summary>
    public static IResourceBuilder<DeploymentsResource> AddDeploymentsView(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, IResourceBuilder<ProjectResource> orchestrator, string adminKey)
    {
        var api = new OrchestratorAdminApi(orchestrator.Resource, adminKey);
        return builder.AddResource(new DeploymentsResource(name))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Deployments",
                State = new ResourceStateSnapshot(DeploymentsSnapshot.WaitingState, KnownResourceStateStyles.Info),
                Properties = [new(CustomResourceKnownProperties.Source, "orchestrator-api's deployments")],
                IconName = "Rocket",
            })
            .WithParentRelationship(orchestrator)
            .WithOperatorCommands(api)
            .ExcludeFromManifest()
            .OnInitializeResource((resource, e, initializing) =>
            {
                var poller = new DeploymentsPoller(resource, api,
                    new DashboardLinks(e.Services.GetRequiredService<DistributedApplicationModel>()),
                    e.Notifications, e.Logger, TimeProvider.System);
                // For the application's life, not the initialization's.
                var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                _ = Task.Run(() => poller.RunAsync(stopping), CancellationToken.None);
                return Task.CompletedTask;
            });
    }
}
