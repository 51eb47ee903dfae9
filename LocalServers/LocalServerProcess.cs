using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sdp.LocalServers;

/// <summary>
/// How a server from this machine's binaries is started under Aspire's orchestrator: through <c>supervise.sh</c>
/// (kept in the state folder) so that it runs as its own OS user where needed, stops the way it wants to, and leaves
/// a pid file behind that the next start reads to stop what a killed AppHost left running.
/// </summary>
internal static class LocalServerProcess
{
    public const string Shell = "/bin/sh";

    /// <summary>Adds the arguments that run <paramref name="command"/> under the wrapper.</summary>
    public static void AddSupervisedArguments(IList<object> arguments, string resourceDirectory, string stopSignal,
        string? osUser, IReadOnlyList<object>? before, params object[] command)
    {
        List<object> all = [Path.Combine(resourceDirectory, "supervise.sh"), PidFile(resourceDirectory), stopSignal];
        if (before is not null)
        {
            all.Add("--before");
            all.AddRange(AsUser(osUser, before));
        }

        all.Add("--");
        all.AddRange(AsUser(osUser, command));
        foreach (var argument in all)
        {
            arguments.Add(argument);
        }
    }

    /// <summary>Before a (re)start: the wrapper in place, and nothing left running from a run that was killed.</summary>
    public static async Task PrepareAsync(IResource resource, string resourceDirectory, IServiceProvider services,
        CancellationToken cancellationToken)
    {
        await using (var source = typeof(LocalServerProcess).Assembly.GetManifestResourceStream("supervise.sh")
            ?? throw new InvalidOperationException("supervise.sh is not embedded."))
        await using (var target = File.Create(Path.Combine(resourceDirectory, "supervise.sh")))
        {
            await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        }

        // Said in the resource's own console log, where whoever wonders about a slow start looks.
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        await StopLeftoversAsync(resourceDirectory, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fails the resource at once, with the hint that fixes it, when a binary is missing.</summary>
    public static void RequireBinaries(string what, string setting, params string[] paths)
    {
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new DistributedApplicationException(
                    $"{what} is not installed: {path} is missing. Run scripts/bootstrap.sh (it installs the OS packages), "
                    + $"or point {setting} at the folder that holds it.");
            }
        }
    }

    private static string PidFile(string resourceDirectory) => Path.Combine(resourceDirectory, "server.pids");

    private static IEnumerable<object> AsUser(string? osUser, IEnumerable<object> command) =>
        osUser is not null && LocalStateDirectory.IsRoot
            ? ["setpriv", $"--reuid={osUser}", $"--regid={osUser}", "--init-groups", .. command]
            : command;

    /// <summary>
    /// Processes the pid file names that still run (same pid, same start time) were left by an AppHost that was
    /// killed: stopped with the signal the wrapper would have used, then killed, with whatever they started, when
    /// they have not stopped in time.
    /// </summary>
    private static async Task StopLeftoversAsync(string resourceDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var pidFile = PidFile(resourceDirectory);
        if (!File.Exists(pidFile))
        {
            return;
        }

        var leftovers = File.ReadAllLines(pidFile)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 2 && StartTime(fields[0]) == fields[1])
            // Files written before the stop signal was recorded: INT, as then.
            .Select(fields => (Pid: int.Parse(fields[0], CultureInfo.InvariantCulture), Signal: fields.Length > 2 ? fields[2] : "INT"))
            .ToList();
        foreach (var (pid, signal) in leftovers)
        {
            Signal(pid, signal);
        }

        // RabbitMQ's graceful stop takes seconds, more on a busy machine.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (leftovers.Any(l => IsAlive(l.Pid)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (pid, _) in leftovers.Where(l => IsAlive(l.Pid)))
        {
            // The descendants first, found while their parent still holds them (rabbitmq-server's script runs the VM
            // as its child: killing the script alone would leave the VM running).
            foreach (var descendant in Descendants(pid).Append(pid))
            {
                Signal(descendant, "KILL");
            }
        }

        File.Delete(pidFile);
        if (leftovers.Count > 0)
        {
            logger.LogWarning("Stopped {Count} process(es) left running by an earlier AppHost.", leftovers.Count);
        }
    }

    private static List<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                && ParentOf(child) is { } parent)
            {
                (parents.TryGetValue(parent, out var children) ? children : parents[parent] = []).Add(child);
            }
        }

        var descendants = new List<int>();
        var pending = new Stack<int>([pid]);
        while (pending.TryPop(out var next))
        {
            foreach (var child in parents.GetValueOrDefault(next) ?? [])
            {
                descendants.Add(child);
                pending.Push(child);
            }
        }

        return descendants;
    }

    /// <summary>Field 4 of /proc/PID/stat (the parent's pid), or null when gone.</summary>
    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Field 22 of /proc/PID/stat (start time in clock ticks since boot), or null when gone.</summary>
    private static string? StartTime(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
