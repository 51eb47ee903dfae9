using System.Globalization;
using System.Net.Sockets;

namespace LocalServers.Tests.Infrastructure;

/// <summary>What /proc says about the processes the servers run as.</summary>
internal static class ProcessTable
{
    /// <summary>
    /// Live processes whose command line names the folder or whose working directory is inside it: redis-server
    /// rewrites its command line, but works in its folder; epmd names no folder, but inherits the wrapper's.
    /// </summary>
    public static List<string> ProcessesUsing(string directory) =>
        [.. ProcessIdsUsing(directory).Select(pid => $"{pid}: {CommandLine(pid)}")];

    public static List<int> ProcessIdsUsing(string directory) =>
        [.. ProcessIds()
            .Where(IsAlive)
            .Where(pid => CommandLine(pid).Contains(directory, StringComparison.Ordinal)
                || (WorkingDirectory(pid)?.StartsWith(directory, StringComparison.Ordinal) ?? false))];

    public static IEnumerable<int> ProcessIds() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture));

    /// <summary>Alive and not a zombie (a zombie holds no port and no file).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The process's environment, as it was given at its start.</summary>
    public static Dictionary<string, string> Environment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.Ordinal);

    public static IEnumerable<int> ChildrenOf(int parent) =>
        ProcessIds().Where(pid =>
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture) == parent;
            }
            catch (IOException)
            {
                return false;
            }
        });

    public static void Kill(int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? WorkingDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
