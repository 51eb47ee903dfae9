using System.Globalization;
using Npgsql;
using Sdp.Hosting.Processes;

namespace Sdp.Hosting.Runners;

/// <summary>
/// PostgreSQL from the machine's binaries: <c>initdb</c> once (password auth, generated password), then
/// <c>pg_ctl start</c> on 127.0.0.1 and a free port with its socket in the state folder, <c>pg_ctl stop -m fast</c>.
/// As root everything runs as the <c>postgres</c> OS user, which owns the folder.
/// </summary>
internal sealed class PostgresRunner(PostgresServerResource resource, RunnerContext context) : IResourceRunner
{
    private const string OsUser = "postgres";

    private readonly string _directory = Path.Combine(context.State.Root, resource.Name);
    private ChildProcess? _pgCtlStart;
    private int? _postmasterPid;
    private bool _newPassword;

    private string DataDirectory => Path.Combine(_directory, "data");

    private string SocketDirectory => Path.Combine(_directory, "run");

    private string Bin(string name) => Path.Combine(context.Settings.PostgresBinDirectory, name);

    public string? FindMissingPrerequisite() => RunnerContext.FindMissingExecutable(
        "PostgreSQL", "Sdp:PostgresBinDirectory", Bin("initdb"), Bin("pg_ctl"), Bin("postgres"));

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        context.State.ResourceDirectory(resource.Name);
        resource.Password = StateDirectory.ReadOrCreatePassword(Path.Combine(_directory, "password"), out _newPassword);
        resource.PrimaryEndpoint.Allocate();
        return Task.CompletedTask;
    }

    public async Task<ResourceInstance> StartAsync(CancellationToken cancellationToken)
    {
        var password = resource.Password ?? throw new InvalidOperationException("Not prepared.");
        // A password without its data (or the reverse) is of no use: start over.
        if (_newPassword || !File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(password, cancellationToken).ConfigureAwait(false);
            _newPassword = false;
        }

        RemoveStalePostmasterPid();
        // A fresh socket folder each start: sockets and lock files of a crashed server must not linger.
        if (Directory.Exists(SocketDirectory))
        {
            Directory.Delete(SocketDirectory, recursive: true);
        }

        Directory.CreateDirectory(SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (context.ServerUser(OsUser) is { } user)
        {
            await StateDirectory.GiveToUserAsync(SocketDirectory, user, cancellationToken).ConfigureAwait(false);
        }

        var port = resource.PrimaryEndpoint.Allocate();

        // pg_ctl hands -o to /bin/sh, hence the quoting. Without -l the server logs to our pipe, after pg_ctl exits too.
        // Every live candidate service keeps a small pool of its own, so hundreds of deployments need room.
        var options = $"-p {port} -k {ShellQuote(SocketDirectory)} -c listen_addresses=127.0.0.1 -c max_connections=1000";
        _pgCtlStart = ChildProcess.Start(
            new ChildProcessStartInfo(Bin("pg_ctl"), ["start", "-D", DataDirectory, "-w", "-t", "60", "-o", options])
            {
                WorkingDirectory = _directory,
                UserName = context.ServerUser(OsUser),
                OutputOutlivesProcess = true,
            },
            context.OutputOf(resource.Name));
        var exitCode = await _pgCtlStart.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new DistributedApplicationException($"pg_ctl start exited with code {exitCode}.", resource.Name);
        }

        var pid = ReadPostmasterPid() ?? throw new DistributedApplicationException("PostgreSQL started but wrote no postmaster.pid.", resource.Name);
        _postmasterPid = pid;
        context.PidFiles.Record(resource.Name, pid, ProcessTable.GetStartTime(pid) ?? 0, NativeMethods.SIGINT);
        return new ResourceInstance(pid, WatchAsync(pid));
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (resource.ConnectionString is not { } connectionString)
        {
            return false;
        }

        // No pooling: an idle pooled connection would outlive the check and hold up a smart shutdown.
        await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Pooling=false;Timeout=5");
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
    }

    public async Task StopAsync(CancellationToken grace)
    {
        if (_pgCtlStart is null)
        {
            // Never started here: whatever postmaster.pid says is not ours to stop.
            return;
        }

        if (!_pgCtlStart.HasExited)
        {
            // Interrupted start: let pg_ctl finish (it gives up by itself) so there is a postmaster.pid to stop.
            await ((Task)_pgCtlStart.Exited.WaitAsync(grace)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var pid = _postmasterPid ?? ReadPostmasterPid();
        if (pid is null || !ProcessTable.IsAlive(pid.Value))
        {
            return;
        }

        try
        {
            await context.RunToCompletionAsync(resource.Name,
                new ChildProcessStartInfo(Bin("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"])
                {
                    WorkingDirectory = _directory,
                    UserName = context.ServerUser(OsUser),
                },
                grace).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or DistributedApplicationException)
        {
            // Out of time or refused: the backends die with the postmaster.
            NativeMethods.Kill(pid.Value, NativeMethods.SIGKILL);
        }

        while (ProcessTable.IsAlive(pid.Value))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), context.TimeProvider, CancellationToken.None).ConfigureAwait(false);
        }

        context.PidFiles.Remove(resource.Name, pid.Value);
        _postmasterPid = null;
        _pgCtlStart = null;
    }

    private async Task InitializeAsync(string password, CancellationToken cancellationToken)
    {
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        var passwordFile = Path.Combine(_directory, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            if (context.ServerUser(OsUser) is { } user)
            {
                RunnerContext.EnsureReachableByOthers(_directory, resource.Name);
                await StateDirectory.GiveToUserAsync(_directory, user, cancellationToken).ConfigureAwait(false);
            }

            await context.RunToCompletionAsync(resource.Name,
                new ChildProcessStartInfo(Bin("initdb"),
                    ["-D", DataDirectory, "-U", resource.UserName, $"--pwfile={passwordFile}", "--auth=scram-sha-256",
                        "--encoding=UTF8", "--no-locale", "--no-instructions"])
                {
                    WorkingDirectory = _directory,
                    UserName = context.ServerUser(OsUser),
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>
    /// postgres refuses to start while postmaster.pid names a live process; a dead or zombie one (a postmaster
    /// killed with the host, whose parent never reaped it) is stale.
    /// </summary>
    private void RemoveStalePostmasterPid()
    {
        if (ReadPostmasterPid() is not { } pid)
        {
            return;
        }

        if (ProcessTable.IsAlive(pid) && ProcessTable.GetCommandLine(pid).Contains(DataDirectory, StringComparison.Ordinal))
        {
            throw new DistributedApplicationException(
                $"PostgreSQL (pid {pid}) still runs on {DataDirectory}, not started by this host. Stop it first.", resource.Name);
        }

        File.Delete(Path.Combine(DataDirectory, "postmaster.pid"));
    }

    private int? ReadPostmasterPid()
    {
        var path = Path.Combine(DataDirectory, "postmaster.pid");
        try
        {
            return File.Exists(path) && int.TryParse(File.ReadLines(path).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid)
                ? pid
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The postmaster is not our child (pg_ctl daemonizes it): poll for its end.</summary>
    private async Task<int?> WatchAsync(int pid)
    {
        while (ProcessTable.IsAlive(pid))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), context.TimeProvider, CancellationToken.None).ConfigureAwait(false);
        }

        return null;
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
