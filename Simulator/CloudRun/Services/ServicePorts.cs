namespace Sdp.Simulator.CloudRun.Services;

/// <summary>
/// The loopback ports the Simulator's services listen on, from a range of its own
/// (<see cref="CloudRunSimulatorOptions.ServicePortsFrom"/>–<see cref="CloudRunSimulatorOptions.ServicePortsTo"/>).
/// A service keeps its port across restarts, because a Cloud Run URL never changes. Ports the kernel hands out for
/// outgoing connections and for "any free port" listeners come from its ephemeral range (32768–60999 on Linux); a
/// kept port inside that range can be taken by anything at the next start (a restart with 1,000 services lost one
/// that way), so the Simulator's range lies outside it.
/// </summary>
public sealed class ServicePorts
{
    private readonly object gate = new();
    private readonly Dictionary<string, int> heldByService = new(StringComparer.Ordinal);
    private readonly HashSet<int> held = [];
    private readonly int first;
    private readonly int last;
    private readonly Func<int, bool> isFree;
    private int next;

    public ServicePorts(CloudRunSimulatorOptions options) : this(options.ServicePortsFrom, options.ServicePortsTo, LoopbackPort.IsFree)
    {
    }

    /// <param name="isFree">Whether nothing listens on a port yet (a seam for tests).</param>
    public ServicePorts(int first, int last, Func<int, bool> isFree)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(last, 65535);
        this.first = first;
        this.last = last;
        this.isFree = isFree;
        next = first;
    }

    public bool Contains(int port) => port >= first && port <= last;

    /// <summary>
    /// Holds <paramref name="port"/> for <paramref name="serviceName"/>: a restored service's kept port, before any new
    /// service could be given it. False when another service holds it.
    /// </summary>
    public bool TryHold(string serviceName, int port)
    {
        lock (gate)
        {
            if (heldByService.TryGetValue(serviceName, out var current) && current == port)
            {
                return true;
            }

            if (held.Contains(port))
            {
                return false;
            }

            ReleaseLocked(serviceName);
            heldByService[serviceName] = port;
            held.Add(port);
            return true;
        }
    }

    /// <summary>
    /// The next port of the range that no service holds and nothing listens on, held for <paramref name="serviceName"/>
    /// (in place of any port it held before). Round robin, so a port just given up is the last to be given again.
    /// </summary>
    /// <exception cref="InvalidOperationException">Every port of the range is held or taken.</exception>
    public int Take(string serviceName)
    {
        lock (gate)
        {
            ReleaseLocked(serviceName);
            var size = last - first + 1;
            for (var tried = 0; tried < size; tried++)
            {
                var port = next;
                next = port == last ? first : port + 1;
                if (!held.Contains(port) && isFree(port))
                {
                    heldByService[serviceName] = port;
                    held.Add(port);
                    return port;
                }
            }

            throw new InvalidOperationException(
                $"No free port is left in {CloudRunSimulatorOptions.SectionName}:ServicePortsFrom–ServicePortsTo ({first}–{last}).");
        }
    }

    /// <summary>The service is gone (or never started): its port may be given to another.</summary>
    public void Release(string serviceName)
    {
        lock (gate)
        {
            ReleaseLocked(serviceName);
        }
    }

    private void ReleaseLocked(string serviceName)
    {
        if (heldByService.Remove(serviceName, out var port))
        {
            held.Remove(port);
        }
    }
}
