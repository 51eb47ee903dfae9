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

    /// <summary>
    /// A port of <paramref name="first"/>–<paramref name="last"/> free at this moment and not in
    /// <paramref name="except"/>, tried from a random place in the range (so platforms started side by side rarely
    /// race for the same one).
    /// </summary>
    /// <exception cref="InvalidOperationException">Every port of the range is taken.</exception>
    public static int AnyFreeIn(int first, int last, IReadOnlySet<int>? except = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(last, 65535);
        var size = last - first + 1;
        var start = Random.Shared.Next(size);
        for (var i = 0; i < size; i++)
        {
            var port = first + ((start + i) % size);
            if (except?.Contains(port) != true && IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"Every loopback port from {first} to {last} is taken.");
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
