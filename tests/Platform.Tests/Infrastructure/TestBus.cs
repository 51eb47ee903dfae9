using System.Collections.Concurrent;
using MassTransit;
using Sdp.Contracts;

namespace Sdp.Platform.Tests.Infrastructure;

/// <summary>
/// A bus connection of the test's own on the platform's RabbitMQ: publishes contract messages as a service
/// would, and sees the events the services publish (on a temporary queue of its own).
/// </summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl bus;
    private readonly ConcurrentQueue<object> received = new();
    private readonly SemaphoreSlim arrived = new(0);

    private TestBus(string connectionString)
    {
        bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(connectionString));
            cfg.ReceiveEndpoint("platform-tests-" + Guid.NewGuid().ToString("N"), endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<DeploymentProvisioned>(context => Record(context.Message));
                endpoint.Handler<DeploymentFailed>(context => Record(context.Message));
                endpoint.Handler<DeploymentCleanedUp>(context => Record(context.Message));
            });
        });
    }

    public static async Task<TestBus> StartAsync(string connectionString)
    {
        var testBus = new TestBus(connectionString);
        await testBus.bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return testBus;
    }

    public Task PublishAsync<T>(T message) where T : class => bus.Publish(message);

    /// <summary>Waits for an event published after this bus started that matches <paramref name="match"/>.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (received.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {typeof(T).Name} matching the condition within {timeout}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await bus.StopAsync();
        arrived.Dispose();
    }

    private Task Record(object message)
    {
        received.Enqueue(message);
        arrived.Release();
        return Task.CompletedTask;
    }
}
