using System.Net;
using System.Net.Sockets;

namespace Sdp.Hosting.Processes;

/// <summary>Loopback ports: a free one picked by the kernel, or whether a fixed one can be listened on.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>
    /// Whether nothing listens on the port. SO_REUSEADDR as servers set it, so connections of a previous run
    /// lingering in TIME_WAIT do not count as in use.
    /// </summary>
    public static bool IsAvailable(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
