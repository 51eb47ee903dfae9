using System.Security.Cryptography;
using Sdp.Hosting.Processes;

namespace Sdp.Hosting;

/// <summary>
/// The host's folder: one sub-folder per server resource (data, generated password), the pid files, and a lock
/// so that two hosts never share it (a second one would take the first one's processes for leftovers).
/// </summary>
internal sealed class StateDirectory(string root)
{
    private FileStream? _lock;

    public string Root { get; } = root;

    public PidFiles PidFiles { get; } = new(Path.Combine(root, "pids"));

    /// <summary>Takes the folder for this host. The lock is flock(2)-based, so it dies with the process.</summary>
    public void Lock()
    {
        Directory.CreateDirectory(Root);
        // The pid goes in a file of its own: a locked file cannot be read by the host that is refused.
        var pidPath = Path.Combine(Root, "host.pid");
        try
        {
            _lock = new FileStream(Path.Combine(Root, "host.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var owner = File.Exists(pidPath) ? File.ReadAllText(pidPath).Trim() : "?";
            throw new DistributedApplicationException(
                $"State directory {Root} is in use by another running AppHost (pid {owner}). Stop it, or give this one "
                + "its own folder with --Sdp:StateDirectory=<path>.");
        }

        File.WriteAllText(pidPath, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Unlock()
    {
        _lock?.Dispose();
        _lock = null;
    }

    public string ResourceDirectory(string resourceName)
    {
        var path = Path.Combine(Root, resourceName);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The password kept in <paramref name="path"/>, generated (and saved, owner-only) on first use.</summary>
    public static string ReadOrCreatePassword(string path, out bool created)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            created = false;
            return existing;
        }

        // Letters and digits only: no quoting question in any connection-string syntax.
        var password = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24);
        File.WriteAllText(path, password, System.Text.Encoding.ASCII);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        created = true;
        return password;
    }

    /// <summary>Hands a folder to an OS user (chown -R), for servers that run as their own user when the host is root.</summary>
    public static async Task GiveToUserAsync(string path, string userName, CancellationToken cancellationToken)
    {
        var output = new List<string>();
        var chown = ChildProcess.Start(new ChildProcessStartInfo("chown", ["-R", $"{userName}:", path]), (line, _) => output.Add(line));
        if (await chown.Exited.WaitAsync(cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new DistributedApplicationException($"chown -R {userName}: {path} failed: {string.Join(' ', output)}");
        }
    }
}
