using System.Threading.Channels;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LocalServers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Sdp.LocalServers;

namespace LocalServers.Tests;

/// <summary>
/// Set-up after each start of a server (a database created, a role given its kept password again) runs once per start,
/// however quickly the states follow each other, and is retried until the server takes it. The states are published
/// here by hand, as the orchestrator would publish them, in the order that made Aspire's own ready event miss a
/// restart: "Exited" immediately followed by "Starting" and "Running".
/// </summary>
public sealed class EveryStartTests : IDisposable
{
    private readonly TestStateDirectory _state = new();

    [Fact]
    public async Task Set_up_runs_once_per_start_even_when_a_restart_follows_at_once_and_is_retried_until_it_succeeds()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var (builder, _) = LocalServersApp.CreateBuilder(_state.Path);
        var attempts = Channel.CreateUnbounded<DateTime?>();
        var failuresLeft = 2;
        var server = builder.AddResource(new StandInServer("server"))
            .OnEveryStart(async (resource, services, cancellationToken) =>
            {
                var startedAt = StartTime(services, resource);
                await attempts.Writer.WriteAsync(startedAt, cancellationToken);
                if (Interlocked.Decrement(ref failuresLeft) >= 0)
                {
                    throw new InvalidOperationException("the database system is starting up");
                }
            });
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        var notifications = app.ResourceNotifications;

        var first = new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);
        await notifications.PublishUpdateAsync(server.Resource, s => s with { State = KnownResourceStates.Running, StartTimeStamp = first });
        // Two failures, then success: three attempts for the first start, and no more.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(first, await attempts.Reader.ReadAsync(timeout.Token));
        }

        // A restart whose states come one right after the other.
        var second = first.AddMinutes(1);
        await notifications.PublishUpdateAsync(server.Resource, s => s with { State = KnownResourceStates.Exited, StopTimeStamp = second });
        await notifications.PublishUpdateAsync(server.Resource, s => s with { State = KnownResourceStates.Starting });
        await notifications.PublishUpdateAsync(server.Resource, s => s with { State = KnownResourceStates.Running, StartTimeStamp = second });
        Assert.Equal(second, await attempts.Reader.ReadAsync(timeout.Token));

        // Other updates of a running server (health reports, properties) are not starts.
        await notifications.PublishUpdateAsync(server.Resource, s => s with { Properties = [new("note", "healthy")] });
        await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        Assert.False(attempts.Reader.TryRead(out _));
    }

    public void Dispose() => _state.Dispose();

    private static DateTime? StartTime(IServiceProvider services, IResource resource) =>
        services.GetRequiredService<ResourceNotificationService>().TryGetCurrentState(resource.Name, out var current)
            ? current.Snapshot.StartTimeStamp
            : null;

    private sealed class StandInServer(string name) : Resource(name);
}
