using System.Globalization;

namespace Sdp.Simulator.Tests.Infrastructure;

/// <summary>
/// The TCP ports this process listens on, read from Linux's <c>/proc</c>: the socket inodes among this process's
/// file descriptors, matched against the listening entries of <c>/proc/self/net/tcp</c> and <c>tcp6</c>. Unlike
/// connecting to a port, it cannot be answered by another process that has bound the port since.
/// </summary>
public static class ProcessListeners
{
    private const string Listen = "0A";

    public static HashSet<int> Ports()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var descriptor in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            // A descriptor closed while the folder is read has no target any more.
            var target = new FileInfo(descriptor).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target["socket:[".Length..^1]);
            }
        }

        var ports = new HashSet<int>();
        foreach (var table in new[] { "/proc/self/net/tcp", "/proc/self/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] == Listen && inodes.Contains(fields[9]))
                {
                    ports.Add(int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber,
                        CultureInfo.InvariantCulture));
                }
            }
        }

        return ports;
    }
}
