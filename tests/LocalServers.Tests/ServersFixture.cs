using System.Collections.Concurrent;
using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LocalServers.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LocalServers.Tests;

/// <summary>
/// One application of every local server, started once for the tests that only look at running servers: PostgreSQL
/// with database sdpdb and login role sdp_app, Redis, RabbitMQ, Prometheus, and an executable (sleep) that references
/// them and waits for the database and the role, as a service of the platform would.
/// </summary>
public sealed class ServersFixture : IAsyncLifetime
{
    public static readonly string[] Resources = ["postgres", "sdpdb", "sdpdb-app", "redis", "messaging", "prometheus", "client"];

    private readonly TestStateDirectory _state = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task? _recording;
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public string StateDirectory => _state.Path;

    public string RulesFile => Path.Combine(_state.Path, "alerts.yml");

    /// <summary>Every state and health each resource went through, in order, from before the start.</summary>
    public ConcurrentQueue<(TimeSpan At, string Resource, string? State, HealthStatus? Health)> Events { get; } = new();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await File.WriteAllTextAsync(RulesFile, "groups: []\n", timeout.Token);
        var (builder, state) = LocalServersApp.CreateBuilder(_state.Path, "--Prometheus:Port=0");
        var (database, role, redis, messaging) = builder.AddServers(state);
        Assert.NotNull(builder.AddLocalPrometheus("prometheus", state, RulesFile));
        builder.AddExecutable("client", "/bin/sleep", _state.Path, "infinity")
            .WithReference(database).WaitFor(database)
            .WithReference(role).WaitFor(role)
            .WithReference(redis)
            .WithReference(messaging);
        _app = await builder.BuildAsync(timeout.Token);
        _recording = RecordAsync(_app.ResourceNotifications, _stop.Token);
        await _app.StartAsync(timeout.Token);
        await _app.WaitUntilHealthyAsync(Resources, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
        finally
        {
            await _stop.CancelAsync();
            await (_recording ?? Task.CompletedTask);
            _stop.Dispose();
            _state.Dispose();
        }
    }

    private async Task RecordAsync(ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                Events.Enqueue((_clock.Elapsed, update.Resource.Name, update.Snapshot.State?.Text, update.Snapshot.HealthStatus));
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "servers";
}
