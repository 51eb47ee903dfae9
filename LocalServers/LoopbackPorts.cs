using System.Net;
using System.Net.Sockets;

namespace Sdp.LocalServers;

/// <summary>Ports on the loopback interface: whether one is free, and one the kernel hands out free.</summary>
public static class LoopbackPorts
{
    /// <summary>A port free at this moment (whoever binds it next gets it, so take it soon).</summary>
    public static int AnyFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether <paramref name="port"/> can be listened on now.</summary>
    public static bool IsFree(int port)
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
