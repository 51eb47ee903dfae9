using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

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
        var port = portSetting is null ? 0 : project.ApplicationBuilder.Configuration.GetValue(portSetting, 0);
        project.WithEndpoint("http", endpoint =>
        {
            endpoint.IsProxied = false;
            endpoint.Port = port == 0 ? null : port;
            endpoint.TargetPort = port == 0 ? null : port;
        });
        if (port != 0)
        {
            project.OnBeforeResourceStarted((resource, _, _) => IsFree(port)
                ? Task.CompletedTask
                : throw new DistributedApplicationException(
                    $"{resource.Name} cannot listen on port {port}: it is in use (another AppHost?). Stop what holds it, "
                    + $"or move it with --{portSetting}=<port> (0 picks a free one)."));
        }

        return project;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
