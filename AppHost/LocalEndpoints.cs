using Microsoft.Extensions.Configuration;
using Sdp.LocalServers;

namespace Sdp.AppHost;

internal static class LocalEndpoints
{
    /// <summary>
    /// The project's http endpoint without the orchestrator's proxy in front (one hop less on every request), on the
    /// port <paramref name="portSetting"/> gives (0: a free one), or a free one when there is no setting. A fixed port
    /// that is taken fails the resource with the setting that moves it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLocalEndpoint(this IResourceBuilder<ProjectResource> project,
        string? portSetting = null)
    {
        var configured = portSetting is null ? 0 : project.ApplicationBuilder.Configuration.GetValue(portSetting, 0);
        // Without the proxy the process itself listens on the endpoint's port, so the port is chosen here: Aspire
        // hands a project no free port of its own when there is no proxy to allocate one for.
        var port = configured == 0 ? LoopbackPorts.AnyFree() : configured;
        project.WithEndpoint("http", endpoint =>
        {
            endpoint.IsProxied = false;
            endpoint.Port = port;
            endpoint.TargetPort = port;
        });
        if (configured != 0)
        {
            project.OnBeforeResourceStarted((resource, _, _) => LoopbackPorts.IsFree(port)
                ? Task.CompletedTask
                : throw new DistributedApplicationException(
                    $"{resource.Name} cannot listen on port {port}: it is in use (another AppHost?). Stop what holds it, "
                    + $"or move it with --{portSetting}=<port> (0 picks a free one)."));
        }

        return project;
    }
}
