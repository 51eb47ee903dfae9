using System.Globalization;

namespace Sdp.Hosting.Processes;

/// <summary>
/// Reads /proc to tell whether a recorded process is still the one we started: a pid alone may have been reused,
/// so records carry the start time (in clock ticks since boot), and zombies count as gone.
/// </summary>
internal static class ProcessTable
{
    /// <summary>The start time of a live (non-zombie) process, or null if there is none with that pid.</summary>
    public static long? GetStartTime(int pid)
    {
        var stat = ReadStat(pid);
        if (stat is null || stat[0] is "Z" or "X")
        {
            return null;
        }

        return long.Parse(stat[19], CultureInfo.InvariantCulture);
    }

    public static bool IsAlive(int pid) => GetStartTime(pid) is not null;

    public static bool IsAlive(int pid, long startTime) => GetStartTime(pid) == startTime;

    /// <summary>True if any process still belongs to the group (its leader may be gone).</summary>
    public static bool GroupExists(int processGroupId) =>
        EnumerateProcessIds().Any(pid => ReadStat(pid) is { } stat && stat[0] is not ("Z" or "X")
            && stat[2] == processGroupId.ToString(CultureInfo.InvariantCulture));

    public static IEnumerable<int> EnumerateProcessIds()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    /// <summary>The command line, arguments joined by spaces; empty if unreadable.</summary>
    public static string GetCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Fields of /proc/pid/stat after the command name: [0] state, [1] ppid, [2] pgrp, ..., [19] starttime.</summary>
    private static string[]? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may itself contain spaces or ')'.
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
