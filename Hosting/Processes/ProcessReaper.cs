using System.Diagnostics;

namespace Sdp.Hosting.Processes;

/// <summary>
/// A watchdog shell in a session of its own whose stdin is a pipe from the host. When the host dies, even by
/// SIGKILL, the pipe closes and the watchdog stops every process recorded in the <see cref="PidFiles"/>: the
/// stop signal first, SIGKILL to the group five seconds later. After a clean stop there is nothing recorded,
/// and it exits at once.
/// </summary>
internal sealed class ProcessReaper : IAsyncDisposable
{
    // Fields of /proc/PID/stat after "(comm) ": $1 is the state, $20 the start time.
    private const string Script = """
        dir=$1
        cat > /dev/null
        found=
        for f in "$dir"/*.pid; do
          [ -f "$f" ] || continue
          read -r pid start sig < "$f" || continue
          stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
          set -- ${stat##*) }
          [ "$1" != Z ] && [ "${20}" = "$start" ] || continue
          kill "-$sig" "$pid" 2>/dev/null && found=1
        done
        [ -n "$found" ] || exit 0
        sleep 5
        for f in "$dir"/*.pid; do
          [ -f "$f" ] || continue
          read -r pid start sig < "$f" || continue
          stat=$(cat "/proc/$pid/stat" 2>/dev/null) && set -- ${stat##*) } && [ "${20}" = "$start" ] && kill -9 -- "-$pid" 2>/dev/null
          rm -f "$f"
        done
        """;

    private readonly Process _process;

    private ProcessReaper(Process process) => _process = process;

    public static ProcessReaper Start(PidFiles pidFiles)
    {
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            // Its own pipes, never the host's stdout: a test runner waits for EOF on that.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["sh", "-c", Script, "sdp-reaper", pidFiles.Directory])
        {
            psi.ArgumentList.Add(argument);
        }

        return new ProcessReaper(Process.Start(psi) ?? throw new InvalidOperationException("Could not start the process reaper."));
    }

    /// <summary>Closes the pipe: with nothing recorded any more the watchdog just exits.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }
}
