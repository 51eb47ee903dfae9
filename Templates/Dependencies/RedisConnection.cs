using System.Diagnostics;
using StackExchange.Redis;

namespace Sdp.Templates.Dependencies;

/// <summary>
/// The candidate's one Redis connection, opened on first use rather than at start-up: a template must
/// answer HTTP within milliseconds of starting, and a synchronous connect would block that start.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private static readonly TimeSpan SubscriptionPollInterval = TimeSpan.FromMilliseconds(5);

    private readonly ConfigurationOptions options;
    private readonly Lock gate = new();
    private Task<ConnectionMultiplexer>? connecting;
    private bool disposed;

    public RedisConnection(string configuration)
    {
        options = ConfigurationOptions.Parse(configuration);
        // Keep reconnecting in the background instead of failing every later call after one bad start.
        options.AbortOnConnectFail = false;
        // Fail commands at once while disconnected instead of queueing them: Redis is a cache here, and a
        // caller that falls back to PostgreSQL should not first wait out a timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // The candidate's ACL user may touch only its own key prefix and channels: skip the client's
        // tie-breaker key, its configuration-change channel and CLIENT SETINFO, which all lie outside it.
        options.TieBreaker = "";
        options.ConfigurationChannel = "";
        options.SetClientLibrary = false;
        // The client probes the server with INFO and CONFIG GET on connect; the ACL user is denied both (they
        // are admin commands), which only fills the server's ACL log with refusals. It needs neither.
        options.CommandMap = CommandMap.Create(["INFO", "CONFIG"], available: false);
        // Without INFO the client cannot learn the server's version and would assume an old one (no RESP3).
        // Sdp's Redis, and Memorystore's, is 7.x.
        options.DefaultVersion = new Version(7, 0);
    }

    public async Task<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        var multiplexer = await ConnectOnceAsync().WaitAsync(cancellationToken);
        return multiplexer.GetDatabase();
    }

    /// <summary>Pub/sub on the same multiplexer; channels must lie under the candidate's prefix.</summary>
    public async Task<ISubscriber> GetSubscriberAsync(CancellationToken cancellationToken)
    {
        var multiplexer = await ConnectOnceAsync().WaitAsync(cancellationToken);
        var subscriber = multiplexer.GetSubscriber();
        // The subscription connection opens a moment after the command connection the connect waited for, and
        // with fail-fast a SUBSCRIBE in between fails at once: give it up to the connect timeout to come up.
        var waited = Stopwatch.StartNew();
        while (!subscriber.IsConnected() && waited.ElapsedMilliseconds < options.ConnectTimeout)
        {
            await Task.Delay(SubscriptionPollInterval, cancellationToken);
        }

        return subscriber;
    }

    public async ValueTask DisposeAsync()
    {
        Task<ConnectionMultiplexer>? pending;
        lock (gate)
        {
            disposed = true;
            pending = connecting;
        }

        if (pending is null)
        {
            return;
        }

        try
        {
            await (await pending).DisposeAsync();
        }
        catch (RedisException)
        {
            // Never connected: nothing to close.
        }
    }

    private Task<ConnectionMultiplexer> ConnectOnceAsync()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            // A connect that threw (e.g. a bad configuration) is tried again by the next caller.
            if (connecting is null || connecting.IsFaulted || connecting.IsCanceled)
            {
                connecting = ConnectionMultiplexer.ConnectAsync(options);
            }

            return connecting;
        }
    }
}
