using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Sdp.LocalServers;
using Sdp.LocalServers.RabbitMQ;

namespace Aspire.Hosting;

public static class LocalRabbitMQBuilderExtensions
{
    private const string OsUser = "rabbitmq";

    /// <summary>
    /// A private RabbitMQ node from this machine's binaries (<c>Sdp:RabbitMQBinDirectory</c>, Erlang's from
    /// <c>Sdp:ErlangBinDirectory</c>): its own node name, ports (AMQP, Erlang distribution, and an epmd of its own, so
    /// it never meets another node's epmd on 4369), data, config and HOME in the state folder, no plugins, a default
    /// user with the kept password. Healthy once an AMQP connection opens.
    /// </summary>
    public static IResourceBuilder<LocalRabbitMQServerResource> AddLocalRabbitMQ(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, LocalStateDirectory state)
    {
        var serverPath = Path.Combine(builder.Configuration["Sdp:RabbitMQBinDirectory"] ?? "/usr/lib/rabbitmq/bin", "rabbitmq-server");
        var erlangBin = builder.Configuration["Sdp:ErlangBinDirectory"] ?? "/usr/bin";
        var directory = state.ResourceDirectory(name);
        var password = LocalStateDirectory.PasswordParameter(builder, state, name, out var newPassword);
        var server = new LocalRabbitMQServerResource(name, directory, password.Resource);
        // Unique per state folder, so two AppHosts on one machine run two distinct nodes.
        var nodeName = $"sdp-{name}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state.Root)))[..8]}@localhost";

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, cancellationToken => ConnectAsync(server, cancellationToken));

        var epmd = new EndpointReference(server, "epmd");
        var distribution = new EndpointReference(server, "distribution");
        return builder.AddResource(server)
            .WithEndpoint(name: LocalRabbitMQServerResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithEndpoint(name: epmd.EndpointName, scheme: "tcp", isProxied: false)
            .WithEndpoint(name: distribution.EndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context => LocalServerProcess.AddSupervisedArguments(context.Args, directory, "TERM", OsUser,
                // epmd is started here rather than by the VM, which would daemonize it out of reach of the stop.
                before: [Path.Combine(erlangBin, "epmd"), "-port", epmd.Property(EndpointProperty.TargetPort), "-address", "127.0.0.1"],
                serverPath))
            .WithEnvironment(context =>
            {
                context.EnvironmentVariables["RABBITMQ_NODENAME"] = nodeName;
                context.EnvironmentVariables["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                context.EnvironmentVariables["RABBITMQ_NODE_PORT"] = server.PrimaryEndpoint.Property(EndpointProperty.TargetPort);
                context.EnvironmentVariables["RABBITMQ_DIST_PORT"] = distribution.Property(EndpointProperty.TargetPort);
                context.EnvironmentVariables["ERL_EPMD_PORT"] = epmd.Property(EndpointProperty.TargetPort);
                // Erlang distribution on loopback only.
                context.EnvironmentVariables["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
                context.EnvironmentVariables["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia");
                context.EnvironmentVariables["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log");
                context.EnvironmentVariables["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins");
                context.EnvironmentVariables["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq");
                context.EnvironmentVariables["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config");
                // Not /etc/rabbitmq/rabbitmq-env.conf: the machine's own node settings must not leak in.
                context.EnvironmentVariables["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf");
                context.EnvironmentVariables["HOME"] = Path.Combine(directory, "home");
            })
            .OnBeforeResourceStarted(async (resource, started, cancellationToken) =>
            {
                LocalServerProcess.RequireBinaries("RabbitMQ", "Sdp:RabbitMQBinDirectory", serverPath);
                LocalServerProcess.RequireBinaries("Erlang (installed with RabbitMQ)", "Sdp:ErlangBinDirectory",
                    Path.Combine(erlangBin, "erl"), Path.Combine(erlangBin, "epmd"));
                await LocalServerProcess.PrepareAsync(resource, directory, started.Services, cancellationToken).ConfigureAwait(false);
                var mnesia = Path.Combine(directory, "mnesia");
                if (newPassword && Directory.Exists(mnesia))
                {
                    // The default user is made on the first boot only: data made with another password is of no use.
                    Directory.Delete(mnesia, recursive: true);
                }

                newPassword = false;
                foreach (var folder in (string[])["mnesia", "log", "home"])
                {
                    Directory.CreateDirectory(Path.Combine(directory, folder));
                }

                await WriteConfigurationAsync(resource, directory, cancellationToken).ConfigureAwait(false);
                await LocalStateDirectory.GiveToAsync(name, directory, OsUser, cancellationToken).ConfigureAwait(false);
            })
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task WriteConfigurationAsync(LocalRabbitMQServerResource server, string directory, CancellationToken cancellationToken)
    {
        var secret = await server.PasswordParameter.GetValueAsync(cancellationToken).ConfigureAwait(false);
        var config = Path.Combine(directory, "rabbitmq.conf");
        await File.WriteAllTextAsync(config,
            $"""
            default_user = {server.UserName}
            default_pass = {secret}
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
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq-env.conf"), "", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HealthCheckResult> ConnectAsync(LocalRabbitMQServerResource server, CancellationToken cancellationToken)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false);
        if (connectionString is null)
        {
            return HealthCheckResult.Unhealthy("No connection string yet.");
        }

        var factory = new ConnectionFactory
        {
            Uri = new Uri(connectionString),
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            ClientProvidedName = "apphost-health-check",
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
            await connection.CloseAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or SocketException or IOException)
        {
            return HealthCheckResult.Unhealthy("No AMQP connection yet.");
        }
    }
}
