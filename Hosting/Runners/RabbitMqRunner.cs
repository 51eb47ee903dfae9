using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Sdp.Hosting.Processes;

namespace Sdp.Hosting.Runners;

/// <summary>
/// A private RabbitMQ node from the machine's binaries: its own node name, ports (AMQP, distribution, and an epmd
/// of its own on a free port, so it never meets another node's epmd on 4369), data, config and HOME in the state
/// folder, no plugins, a default user with a generated password. As root it runs as the <c>rabbitmq</c> OS user.
/// </summary>
internal sealed class RabbitMqRunner(RabbitMQServerResource resource, RunnerContext context) : IResourceRunner
{
    private const string OsUser = "rabbitmq";

    private readonly string _directory = Path.Combine(context.State.Root, resource.Name);
    private ChildProcess? _epmd;
    private ChildProcess? _server;
    private int? _epmdPort;
    private int? _distributionPort;
    private bool _newPassword;

    private string EpmdKey => resource.Name + "-epmd";

    private string ServerPath => Path.Combine(context.Settings.RabbitMQBinDirectory, "rabbitmq-server");

    private string EpmdPath => Path.Combine(context.Settings.ErlangBinDirectory, "epmd");

    /// <summary>Unique per state folder, so two hosts on one machine run two distinct nodes.</summary>
    private string NodeName
    {
        get
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(context.State.Root)))[..8];
            return $"sdp-{resource.Name}-{hash}@localhost";
        }
    }

    public string? FindMissingPrerequisite() =>
        RunnerContext.FindMissingExecutable("RabbitMQ", "Sdp:RabbitMQBinDirectory", ServerPath)
        ?? RunnerContext.FindMissingExecutable("Erlang (installed with RabbitMQ)", "Sdp:ErlangBinDirectory",
            Path.Combine(context.Settings.ErlangBinDirectory, "erl"), EpmdPath);

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        context.State.ResourceDirectory(resource.Name);
        resource.Password = StateDirectory.ReadOrCreatePassword(Path.Combine(_directory, "password"), out _newPassword);
        resource.PrimaryEndpoint.Allocate();
        _epmdPort ??= FreePort.Next();
        _distributionPort ??= FreePort.Next();
        return Task.CompletedTask;
    }

    public async Task<ResourceInstance> StartAsync(CancellationToken cancellationToken)
    {
        var password = resource.Password ?? throw new InvalidOperationException("Not prepared.");
        var mnesia = Path.Combine(_directory, "mnesia");
        if (_newPassword && Directory.Exists(mnesia))
        {
            // The default user is created on first boot only: data made with another password is of no use.
            Directory.Delete(mnesia, recursive: true);
        }

        _newPassword = false;

        foreach (var folder in (string[])["mnesia", "log", "home"])
        {
            Directory.CreateDirectory(Path.Combine(_directory, folder));
        }

        await WriteConfigurationAsync(password, cancellationToken).ConfigureAwait(false);
        if (context.ServerUser(OsUser) is { } user)
        {
            RunnerContext.EnsureReachableByOthers(_directory, resource.Name);
            await StateDirectory.GiveToUserAsync(_directory, user, cancellationToken).ConfigureAwait(false);
        }

        var amqpPort = resource.PrimaryEndpoint.Allocate();
        await StartEpmdAsync(_epmdPort!.Value, cancellationToken).ConfigureAwait(false);

        _server = ChildProcess.Start(
            new ChildProcessStartInfo(ServerPath, [])
            {
                WorkingDirectory = _directory,
                UserName = context.ServerUser(OsUser),
                Environment = new Dictionary<string, string>
                {
                    ["RABBITMQ_NODENAME"] = NodeName,
                    ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
                    ["RABBITMQ_NODE_PORT"] = $"{amqpPort}",
                    ["RABBITMQ_DIST_PORT"] = $"{_distributionPort}",
                    ["ERL_EPMD_PORT"] = $"{_epmdPort}",
                    // Erlang distribution on loopback only.
                    ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
                    ["RABBITMQ_MNESIA_BASE"] = mnesia,
                    ["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log"),
                    ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins"),
                    ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq"),
                    ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_directory, "advanced.config"),
                    // Not /etc/rabbitmq/rabbitmq-env.conf: the machine's node settings must not leak in.
                    ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_directory, "rabbitmq-env.conf"),
                    ["HOME"] = Path.Combine(_directory, "home"),
                },
            },
            context.OutputOf(resource.Name));
        // rabbitmq-server is a shell that turns SIGTERM into a graceful stop of the VM it started.
        context.PidFiles.Record(resource.Name, _server.Id, _server.StartTime, NativeMethods.SIGTERM);
        return new ResourceInstance(_server.Id, ExitCodeAsync(_server));
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (resource.ConnectionString is not { } connectionString)
        {
            return false;
        }

        var factory = new ConnectionFactory
        {
            Uri = new Uri(connectionString),
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            ClientProvidedName = "sdp-host-health-check",
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
            await connection.CloseAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or SocketException or IOException)
        {
            return false;
        }
    }

    public async Task StopAsync(CancellationToken grace)
    {
        if (_server is { } server)
        {
            await server.StopAsync(NativeMethods.SIGTERM, grace).ConfigureAwait(false);
            context.PidFiles.Remove(resource.Name, server.Id);
            _server = null;
        }

        if (_epmd is { } epmd)
        {
            // Stopped last: the node deregisters from it on the way down.
            await epmd.StopAsync(NativeMethods.SIGTERM, grace).ConfigureAwait(false);
            context.PidFiles.Remove(EpmdKey, epmd.Id);
            _epmd = null;
        }
    }

    private async Task StartEpmdAsync(int port, CancellationToken cancellationToken)
    {
        if (_epmd is { HasExited: false })
        {
            return;
        }

        // Started by us rather than by the VM (which would daemonize it out of reach), on the node's private port.
        _epmd = ChildProcess.Start(
            new ChildProcessStartInfo(EpmdPath, ["-port", $"{port}", "-address", "127.0.0.1"])
            {
                WorkingDirectory = _directory,
                UserName = context.ServerUser(OsUser),
            },
            context.OutputOf(resource.Name));
        context.PidFiles.Record(EpmdKey, _epmd.Id, _epmd.StartTime, NativeMethods.SIGTERM);

        // The VM must find it listening, or it starts one of its own.
        while (true)
        {
            if (_epmd.HasExited)
            {
                throw new DistributedApplicationException($"epmd exited with code {await _epmd.Exited.ConfigureAwait(false)}.", resource.Name);
            }

            try
            {
                // A NAMES request (length 1, code 110), so epmd sees a proper client rather than a broken packet.
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
                var stream = client.GetStream();
                await stream.WriteAsync(new byte[] { 0, 1, 110 }, cancellationToken).ConfigureAwait(false);
                await stream.ReadExactlyAsync(new byte[4], cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteConfigurationAsync(string password, CancellationToken cancellationToken)
    {
        var config = Path.Combine(_directory, "rabbitmq.conf");
        await File.WriteAllTextAsync(config,
            $"""
            default_user = {resource.UserName}
            default_pass = {password}
            default_vhost = /
            loopback_users = none
            log.file = false
            log.console = true
            log.console.level = info
            log.console.use_colors = off
            log.console.formatter.single_line = on
            log.connection.level = warning

            """, cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // No plugins: the management plugin alone adds seconds to every boot.
        await File.WriteAllTextAsync(Path.Combine(_directory, "enabled_plugins"), "[].\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(_directory, "rabbitmq-env.conf"), "", cancellationToken).ConfigureAwait(false);
    }

    private async Task<int?> ExitCodeAsync(ChildProcess server)
    {
        var exitCode = await server.Exited.ConfigureAwait(false);
        context.PidFiles.Remove(resource.Name, server.Id);
        return exitCode;
    }
}
