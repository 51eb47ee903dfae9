using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sdp.Hosting.Processes;

/// <summary>
/// One file per process the host started, in the state directory: <c>pid start-time stop-signal</c>.
/// After a crash of the host (even SIGKILL) the next start, or the <see cref="ProcessReaper"/>, finds and stops
/// whatever is still running from those records; a record is trusted only if pid and start time both match.
/// </summary>
internal sealed class PidFiles(string directory)
{
    public string Directory { get; } = directory;

    public void Record(string key, int pid, long startTime, int stopSignal)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(key);
        File.WriteAllText(path + ".tmp", string.Create(CultureInfo.InvariantCulture, $"{pid} {startTime} {stopSignal}\n"));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Removes the record if it still names <paramref name="pid"/> (a restart may have replaced it).</summary>
    public void Remove(string key, int pid)
    {
        if (Read(PathOf(key)) is { } record && record.Pid == pid)
        {
            File.Delete(PathOf(key));
        }
    }

    /// <summary>The pids of every recorded process that is still alive.</summary>
    public IReadOnlyList<int> LiveProcessIds() =>
        [.. ReadAll().Where(r => ProcessTable.IsAlive(r.Record.Pid, r.Record.StartTime)).Select(r => r.Record.Pid)];

    /// <summary>Stops what an earlier run left behind, then removes every record.</summary>
    public async Task StopLeftoversAsync(ILogger logger, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var leftovers = new List<(string Path, PidRecord Record)>();
        foreach (var (path, record) in ReadAll())
        {
            if (ProcessTable.IsAlive(record.Pid, record.StartTime))
            {
                logger.LogWarning("Stopping {Process} (pid {Pid}) left running by an earlier run", Path.GetFileNameWithoutExtension(path), record.Pid);
                NativeMethods.Kill(record.Pid, record.StopSignal);
                leftovers.Add((path, record));
            }
            else if (!ProcessTable.IsAlive(record.Pid) && ProcessTable.GroupExists(record.Pid))
            {
                // Its leader is gone but members of its group remain: they can only be ours, the group id being taken.
                NativeMethods.Kill(-record.Pid, NativeMethods.SIGKILL);
                File.Delete(path);
            }
            else
            {
                File.Delete(path);
            }
        }

        var deadline = timeProvider.GetTimestamp() + (long)(10 * timeProvider.TimestampFrequency);
        while (leftovers.Exists(l => ProcessTable.IsAlive(l.Record.Pid, l.Record.StartTime)) && timeProvider.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (path, record) in leftovers)
        {
            if (ProcessTable.IsAlive(record.Pid, record.StartTime))
            {
                NativeMethods.Kill(-record.Pid, NativeMethods.SIGKILL);
            }

            File.Delete(path);
        }
    }

    private string PathOf(string key) => Path.Combine(Directory, key + ".pid");

    private IEnumerable<(string Path, PidRecord Record)> ReadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield break;
        }

        foreach (var path in System.IO.Directory.GetFiles(Directory, "*.pid"))
        {
            if (Read(path) is { } record)
            {
                yield return (path, record);
            }
            else
            {
                File.Delete(path);
            }
        }
    }

    private static PidRecord? Read(string path)
    {
        try
        {
            var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.TrimEntries);
            return parts.Length == 3
                && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var startTime)
                && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var signal)
                ? new PidRecord(pid, startTime, signal)
                : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private sealed record PidRecord(int Pid, long StartTime, int StopSignal);
}
