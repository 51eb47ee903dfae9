namespace Sdp.Simulator.CloudRun.Services;

/// <summary>
/// Brings back, at start-up, the services a previous run of the Simulator kept in its state folder, as Cloud Run keeps
/// services when its control plane restarts. Each is listed at once (reconciling) and its app started in the
/// background, so the Simulator answers, <c>/health</c> included, while they come back.
/// </summary>
public sealed partial class ServiceRestorer(
    ServiceStore store,
    ServiceRegistry registry,
    ServiceRuntime runtime,
    TimeProvider timeProvider,
    ILogger<ServiceRestorer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!store.IsEnabled)
        {
            return;
        }

        // Reading the files is quick (a few hundred bytes each); starting the apps is not, and happens in the background.
        var stored = await store.LoadAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var restored = 0;
        foreach (var record in stored)
        {
            var service = SimulatedService.Restore(record, now);
            if (!registry.TryAdd(service))
            {
                LogAlreadyPresent(service.Name.FullName);
                continue;
            }

            runtime.Resume(service, record.Port);
            restored++;
        }

        LogRestoring(restored, store.StateDirectory!);
    }

    // The runtime stops whatever is still starting when the host disposes it.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Restoring {Count} services kept in {StateDirectory}")]
    private partial void LogRestoring(int count, string stateDirectory);

    [LoggerMessage(LogLevel.Warning, "Service {ServiceName} is kept in the state folder but already exists; the kept one is ignored")]
    private partial void LogAlreadyPresent(string serviceName);
}
