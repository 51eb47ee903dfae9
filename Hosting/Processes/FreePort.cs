using System.Net;
using System.Net.Sockets;

namespace Sdp.Hosting.Processes;

/// <summary>Loopback ports: a free one picked by the kernel, or whether a fixed one can be listened on.</summary>
internal static class FreePort
{
    // Ports the kernel hands out (a bind to port 0, every outgoing connection) come from the ephemeral range,
    // 32768-60999 on Linux. A port picked there and released can be taken by an outgoing connection before the
    // child process binds it, which happens when several platforms start at once. So ports are picked below that
    // range, each process walking a block of its own (chosen by process id) so that concurrent hosts rarely meet,
    // and each port is checked free before it is handed out.
    private const int RangeStart = 20_000;
    private const int RangeSize = 12_000;
    private const int Blocks = 100;
    private static int handedOut = -1;

    public static int Next()
    {
        var blockStart = Environment.ProcessId % Blocks * (RangeSize / Blocks);
        for (var attempt = 0; attempt < RangeSize; attempt++)
        {
            var port = RangeStart + (blockStart + Interlocked.Increment(ref handedOut)) % RangeSize;
            if (IsAvailable(port))
            {
                return port;
            }
        }

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
