using Sdp.Hosting.Processes;

namespace Sdp.Hosting.Runners;

/// <summary>What every runner needs from the host.</summary>
internal sealed class RunnerContext(HostSettings settings, StateDirectory state, ResourceLogs logs, TimeProvider timeProvider)
{
    public const string BootstrapHint =
        "Run scripts/bootstrap.sh to install PostgreSQL 15, Redis 7 and RabbitMQ from the OS packages.";

    public HostSettings Settings { get; } = settings;

    public StateDirectory State { get; } = state;

    public PidFiles PidFiles => State.PidFiles;

    public ResourceLogs Logs { get; } = logs;

    public TimeProvider TimeProvider { get; } = timeProvider;

    /// <summary>Where projects send OTLP/HTTP; set once the dashboard listens, before any project starts.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The OS user to run a server as: its own when the host is root, else the host's (null).</summary>
    public string? ServerUser(string osUser) => Settings.RunServersAsServiceUsers ? osUser : null;

    /// <summary>A callback for <see cref="ChildProcess.Start"/> that keeps and echoes the lines of a resource.</summary>
    public Action<string, bool> OutputOf(string resourceName) => (line, isError) => Logs.Append(resourceName, line, isError);

    /// <summary>Null if every file exists and is executable, else the message naming the first one missing.</summary>
    public static string? FindMissingExecutable(string what, string setting, params string[] paths)
    {
        foreach (var path in paths)
        {
            if (!File.Exists(path) || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            {
                return $"{what} is not installed: {path} not found. {BootstrapHint} (Or point {setting} at its binaries.)";
            }
        }

        return null;
    }

    /// <summary>
    /// A server running as its own OS user must be able to reach its folder: every parent needs the search bit for
    /// others (a state folder under /root, mode 700, would not do).
    /// </summary>
    public static void EnsureReachableByOthers(string path, string resourceName)
    {
        for (var directory = new DirectoryInfo(path).Parent; directory is not null; directory = directory.Parent)
        {
            if ((File.GetUnixFileMode(directory.FullName) & UnixFileMode.OtherExecute) == 0)
            {
                throw new DistributedApplicationException(
                    $"{path} is not reachable by the server's OS user: {directory.FullName} lacks o+x. "
                    + "Choose another folder with --Sdp:StateDirectory=<path>.", resourceName);
            }
        }
    }

    /// <summary>Runs a short command to completion; throws with its output if it fails.</summary>
    public async Task RunToCompletionAsync(string resourceName, ChildProcessStartInfo startInfo, CancellationToken cancellationToken)
    {
        var output = new List<string>();
        var process = ChildProcess.Start(startInfo, (line, isError) =>
        {
            lock (output)
            {
                output.Add(line);
            }

            Logs.Append(resourceName, line, isError);
        });
        int exitCode;
        try
        {
            exitCode = await process.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.KillGroup();
            throw;
        }

        if (exitCode != 0)
        {
            lock (output)
            {
                throw new DistributedApplicationException(
                    $"{Path.GetFileName(startInfo.FileName)} exited with code {exitCode}: {string.Join(Environment.NewLine, output.TakeLast(20))}",
                    resourceName);
            }
        }
    }
}
