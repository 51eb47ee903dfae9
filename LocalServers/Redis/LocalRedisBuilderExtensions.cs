using System.Net.Sockets;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sdp.LocalServers;
using Sdp.LocalServers.Redis;

namespace Aspire.Hosting;

public static class LocalRedisBuilderExtensions
{
    /// <summary>The server's users, kept across restarts (in the resource's folder).</summary>
    public const string AclFileName = "users.acl";

    /// <summary>
    /// redis-server from this machine's binaries (<c>Sdp:RedisBinDirectory</c>) on 127.0.0.1 and a port kept in the state folder (free at first start). It
    /// keeps what it holds across a restart and a kill, as a managed Redis does: keys in an append-only file (fsync
    /// every second) and users in an ACL file (<c>users.acl</c>, which clients rewrite with <c>ACL SAVE</c> after each
    /// change). The password is kept in the state folder; the server gets only its hash, as the ACL file's default
    /// user (never on a command line any user can read). Healthy once AUTH and PING answer.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, LocalStateDirectory state)
    {
        var serverPath = Path.Combine(builder.Configuration["Sdp:RedisBinDirectory"] ?? "/usr/bin", "redis-server");
        var directory = state.ResourceDirectory(name);
        // The same port at every start: candidates' services were told this address when they were built.
        var port = state.KeptPort(name);
        var aclPath = Path.Combine(directory, AclFileName);
        var password = LocalStateDirectory.PasswordParameter(builder, state, name, out _);
        var redis = new LocalRedisResource(name, directory, password.Resource);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, cancellationToken => PingAsync(redis, cancellationToken));

        return builder.AddResource(redis)
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp", port: port, targetPort: port, isProxied: false)
            .WithArgs(context => LocalServerProcess.AddSupervisedArguments(context.Args, directory, "TERM", osUser: null, before: null,
                serverPath, "--port", redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--aclfile", aclPath,
                "--dir", directory, "--daemonize", "no", "--logfile", ""))
            .OnBeforeResourceStarted(async (resource, started, cancellationToken) =>
            {
                LocalServerProcess.RequireBinaries("Redis", "Sdp:RedisBinDirectory", serverPath);
                await LocalServerProcess.PrepareAsync(resource, directory, started.Services, cancellationToken).ConfigureAwait(false);
                var secret = await resource.PasswordParameter.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? "";
                await RedisAclFile.SetDefaultUserAsync(aclPath, secret, cancellationToken).ConfigureAwait(false);
            })
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>AUTH then PING over RESP: no client library's reconnect logic between the check and the answer.</summary>
    private static async Task<HealthCheckResult> PingAsync(LocalRedisResource redis, CancellationToken cancellationToken)
    {
        if (!redis.PrimaryEndpoint.IsAllocated)
        {
            return HealthCheckResult.Unhealthy("No port yet.");
        }

        var secret = await redis.PasswordParameter.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? "";
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", redis.PrimaryEndpoint.Port, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            var request = $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(secret)}\r\n{secret}\r\n*1\r\n$4\r\nPING\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var auth = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var ping = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            return auth == "+OK" && ping == "+PONG"
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"AUTH/PING answered {auth} {ping}");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
