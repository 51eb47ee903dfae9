using System.Net.Sockets;
using System.Text;
using Sdp.Hosting.Processes;

namespace Sdp.Hosting.Runners;

/// <summary>
/// redis-server from the machine's binaries on 127.0.0.1 and a free port, no persistence, password from the state
/// folder (in a config file there, not on the command line where any user could read it).
/// </summary>
internal sealed class RedisRunner(RedisResource resource, RunnerContext context) : IResourceRunner
{
    private ChildProcess? _process;

    private string ServerPath => Path.Combine(context.Settings.RedisBinDirectory, "redis-server");

    public string? FindMissingPrerequisite() =>
        RunnerContext.FindMissingExecutable("Redis", "Sdp:RedisBinDirectory", ServerPath);

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        var directory = context.State.ResourceDirectory(resource.Name);
        resource.Password = StateDirectory.ReadOrCreatePassword(Path.Combine(directory, "password"), out _);
        resource.PrimaryEndpoint.Allocate();
        return Task.CompletedTask;
    }

    public async Task<ResourceInstance> StartAsync(CancellationToken cancellationToken)
    {
        var directory = context.State.ResourceDirectory(resource.Name);
        var configPath = Path.Combine(directory, "redis.conf");
        await File.WriteAllTextAsync(configPath, $"requirepass {resource.Password}\n", cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(configPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var port = resource.PrimaryEndpoint.Allocate();
        _process = ChildProcess.Start(
            new ChildProcessStartInfo(ServerPath,
                [configPath, "--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", directory, "--daemonize", "no", "--logfile", ""])
            {
                WorkingDirectory = directory,
            },
            context.OutputOf(resource.Name));
        context.PidFiles.Record(resource.Name, _process.Id, _process.StartTime, NativeMethods.SIGTERM);
        return new ResourceInstance(_process.Id, ExitCodeAsync(_process));
    }

    /// <summary>AUTH then PING over RESP.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (resource.PrimaryEndpoint.Port is not { } port || resource.Password is not { } password)
        {
            return false;
        }

        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            var request = $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(password)}\r\n{password}\r\n*1\r\n$4\r\nPING\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) == "+OK"
                && await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) == "+PONG";
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    public async Task StopAsync(CancellationToken grace)
    {
        if (_process is not { } process)
        {
            return;
        }

        // SIGTERM is redis' graceful shutdown; with no save points it writes nothing.
        await process.StopAsync(NativeMethods.SIGTERM, grace).ConfigureAwait(false);
        context.PidFiles.Remove(resource.Name, process.Id);
        _process = null;
    }

    private async Task<int?> ExitCodeAsync(ChildProcess process)
    {
        var exitCode = await process.Exited.ConfigureAwait(false);
        context.PidFiles.Remove(resource.Name, process.Id);
        return exitCode;
    }
}
