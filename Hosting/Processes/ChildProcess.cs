using System.Diagnostics;
using System.Text;

namespace Sdp.Hosting.Processes;

/// <summary>How to start a <see cref="ChildProcess"/>.</summary>
internal sealed record ChildProcessStartInfo(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Added to (or replacing) the host's own environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Run as this OS user (needs root); null runs as the host's user.</summary>
    public string? UserName { get; init; }

    /// <summary>
    /// Whether the output pipes stay open after the process exits because a daemon it started inherited them
    /// (pg_ctl start); if not, the exit is reported only once all output has been read.
    /// </summary>
    public bool OutputOutlivesProcess { get; init; }
}

/// <summary>
/// A process the host started in a session (and so a process group) of its own: a Ctrl+C at the terminal reaches
/// only the host, which then stops children in dependency order, and a whole group can be killed at once.
/// Every line it writes to stdout or stderr goes to a callback. Stdin is closed.
/// </summary>
internal sealed class ChildProcess
{
    private readonly Process _process;
    private readonly Task _output;
    private readonly bool _outputOutlivesProcess;

    private ChildProcess(Process process, Action<string, bool> onLine, bool outputOutlivesProcess)
    {
        _process = process;
        _outputOutlivesProcess = outputOutlivesProcess;
        Id = process.Id;
        StartTime = ProcessTable.GetStartTime(Id) ?? 0;
        _output = Task.WhenAll(
            PumpAsync(process.StandardOutput, line => onLine(line, false)),
            PumpAsync(process.StandardError, line => onLine(line, true)));
        Exited = WaitForExitAsync();
    }

    public int Id { get; }

    /// <summary>Start time in /proc clock ticks, recorded with the pid so a reused pid is never mistaken for ours.</summary>
    public long StartTime { get; }

    /// <summary>Completes with the exit code when the process exits.</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <summary>Starts the process; <paramref name="onLine"/> receives (line, isStandardError).</summary>
    public static ChildProcess Start(ChildProcessStartInfo startInfo, Action<string, bool> onLine)
    {
        // setsid(1) execs in place when its caller is not a group leader (a fresh fork never is), so the pid we get
        // is the program's; setpriv(1) likewise execs after switching user, keeping the environment as given.
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = startInfo.WorkingDirectory ?? "",
        };
        if (startInfo.UserName is { } user)
        {
            foreach (var argument in (string[])["setpriv", $"--reuid={user}", $"--regid={user}", "--init-groups", "--"])
            {
                psi.ArgumentList.Add(argument);
            }
        }

        psi.ArgumentList.Add(startInfo.FileName);
        foreach (var argument in startInfo.Arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in startInfo.Environment)
        {
            psi.Environment[name] = value;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        process.StandardInput.Close();
        return new ChildProcess(process, onLine, startInfo.OutputOutlivesProcess);
    }

    /// <summary>Sends a signal to the process itself (not its group).</summary>
    public void Signal(int signal)
    {
        if (!HasExited)
        {
            NativeMethods.Kill(Id, signal);
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/>, waits for the exit until <paramref name="grace"/> is cancelled, then kills the
    /// whole group. Returns the exit code.
    /// </summary>
    public async Task<int> StopAsync(int signal, CancellationToken grace)
    {
        Signal(signal);
        try
        {
            return await Exited.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillGroup();
            return await Exited.ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL to every process of the group; the leader's pid is its group id.</summary>
    public void KillGroup() => NativeMethods.Kill(-Id, NativeMethods.SIGKILL);

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        if (!_outputOutlivesProcess)
        {
            // Its last lines (often the reason it exited) are read before anyone hears of the exit; bounded, in
            // case something it started still holds the pipes.
            await _output.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Whatever the leader left behind in its group (a shell's child, say) goes with it. Only while the group
        // exists can its id not be reused, and ESRCH otherwise is harmless.
        if (ProcessTable.GroupExists(Id))
        {
            KillGroup();
        }

        return _process.ExitCode;
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            onLine(line);
        }
    }
}
