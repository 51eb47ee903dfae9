using System.Net;
using System.Net.Sockets;

namespace Sdp.Simulator.CloudRun.Services;

/// <summary>Whether a loopback port can be listened on, and waiting until it can.</summary>
public static class LoopbackPort
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Returns once <paramref name="port"/> is free or <paramref name="patience"/> has passed, whichever is first; the
    /// caller binds it (or another) either way.
    /// </summary>
    public static async Task WaitUntilFreeAsync(int port, TimeSpan patience, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (!IsFree(port) && time.GetElapsedTime(started) < patience)
        {
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    public static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // As Kestrel binds: SO_REUSEADDR on Linux, so a port whose old connections linger in TIME_WAIT is free.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }
}
