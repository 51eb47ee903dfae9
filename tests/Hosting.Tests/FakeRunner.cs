using System.Collections.Concurrent;
using Sdp.Hosting;
using Sdp.Hosting.Runners;

namespace Hosting.Tests;

/// <summary>A resource kind the tests control completely.</summary>
internal sealed class FakeResource(string name) : Resource(name)
{
    public override string Type => "Fake";
}

/// <summary>
/// A runner whose start, health and exit the test decides. Every call is recorded in a shared event list, so
/// tests can assert the order in which the orchestrator did things.
/// </summary>
internal sealed class FakeRunner(string name, ConcurrentQueue<string> events) : IResourceRunner
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<int?> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _healthy;

    public string? MissingPrerequisite { get; init; }

    /// <summary>Runs inside StartAsync before it returns; may throw or wait.</summary>
    public Func<CancellationToken, Task> OnStart { get; set; } = _ => Task.CompletedTask;

    public int StartCount { get; private set; }

    public int StopCount { get; private set; }

    public Task Started => _started.Task;

    public bool Healthy
    {
        get => _healthy;
        set
        {
            if (value && !_healthy)
            {
                events.Enqueue($"{name}.healthy");
            }

            _healthy = value;
        }
    }

    public string? FindMissingPrerequisite() => MissingPrerequisite;

    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<ResourceInstance> StartAsync(CancellationToken cancellationToken)
    {
        StartCount++;
        events.Enqueue($"{name}.start");
        await OnStart(cancellationToken);
        _exit = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _started.TrySetResult();
        return new ResourceInstance(1000 + StartCount, _exit.Task);
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(_healthy);

    /// <summary>Makes the running instance exit, as a crash would.</summary>
    public void Crash(int exitCode)
    {
        _healthy = false;
        _exit.TrySetResult(exitCode);
    }

    public Task StopAsync(CancellationToken grace)
    {
        StopCount++;
        events.Enqueue($"{name}.stop");
        _exit.TrySetResult(0);
        return Task.CompletedTask;
    }
}
