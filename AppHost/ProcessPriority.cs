using System.Globalization;
using System.Runtime.InteropServices;

namespace Sdp.AppHost;

/// <summary>The CPU priority (nice value) of a running process's threads, read from and set through Linux.</summary>
internal static class ProcessPriority
{
    private const int PrioProcess = 0;

    /// <summary>
    /// Gives every thread of process <paramref name="pid"/> at least the nice value <paramref name="niceness"/> and
    /// returns how many it changed (none for a process that is gone). Linux keeps a nice value per thread, and a new
    /// thread takes its creator's; a thread created during a pass by one not yet changed is caught by the next pass,
    /// and the passes end when one finds nothing left to change.
    /// </summary>
    public static int Lower(int pid, int niceness)
    {
        var changed = 0;
        for (var pass = 0; pass < 10; pass++)
        {
            var changedInPass = 0;
            foreach (var (thread, nice) in Threads(pid))
            {
                if (nice < niceness && setpriority(PrioProcess, thread, niceness) == 0)
                {
                    changedInPass++;
                }
            }

            if (changedInPass == 0)
            {
                break;
            }

            changed += changedInPass;
        }

        return changed;
    }

    /// <summary>Each thread of the process and its nice value; none for a process that is gone.</summary>
    public static IReadOnlyList<(int Thread, int Nice)> Threads(int pid)
    {
        var threads = new List<(int, int)>();
        string[] directories;
        try
        {
            directories = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            return threads;
        }

        foreach (var directory in directories)
        {
            try
            {
                // stat: "tid (comm) state ppid …": the name may hold spaces and parentheses, so fields count from the
                // last ')'; the nice value is the 19th field, the 17th after it.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                threads.Add((int.Parse(Path.GetFileName(directory), CultureInfo.InvariantCulture),
                    int.Parse(fields[16], CultureInfo.InvariantCulture)));
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return threads;
    }

    // DllImport rather than LibraryImport: the signature is blittable, and the generated stub would need unsafe code.
    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);
}
