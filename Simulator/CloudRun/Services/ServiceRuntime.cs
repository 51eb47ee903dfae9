using Microsoft.Extensions.Options;
using Sdp.Simulator.CloudRun.Faults;
using Sdp.Simulator.CloudRun.Model;
using Sdp.Simulator.CloudRun.Operations;
using Sdp.Templates.Hosting;

namespace Sdp.Simulator.CloudRun.Services;

/// <summary>
/// Runs services the way Cloud Run would, but in this process: the template matching the container image
/// is started on its own loopback port with the container's environment. Starting and stopping happen in
/// the background; the operations report when they are over. With a state folder, every change is kept in
/// <see cref="ServiceStore"/> before its operation reports it done.
/// </summary>
public sealed partial class ServiceRuntime(
    TemplateHost templateHost,
    ServiceRegistry registry,
    OperationRegistry operations,
    ServiceStore store,
    TimeProvider timeProvider,
    IOptions<CloudRunSimulatorOptions> options,
    FaultInjector faults,
    ServicePorts ports,
    ILogger<ServiceRuntime> logger) : IAsyncDisposable
{
    private const int GrpcNotFound = 5;
    private const int GrpcFailedPrecondition = 9;
    private const int GrpcInternal = 13;
    private const int GrpcUnavailable = 14;

    // A port of the range can be taken between the check that it is free and the bind (by another process); the next
    // one will do. More than a few in a row means something else is wrong, and the start fails with it.
    private const int PortAttempts = 3;

    private readonly CancellationTokenSource stopping = new();

    // Restored services start a few at a time: all at once, hundreds of them would share the cores until some ran out
    // of their start timeout. Not disposed: it never allocates a wait handle.
    private readonly SemaphoreSlim restoreSlots = new(Environment.ProcessorCount);

    /// <summary>Starts <paramref name="service"/> in the background; <paramref name="operation"/> finishes when it runs or fails.</summary>
    public void Start(SimulatedService service, LongRunningOperation operation) =>
        _ = Task.Run(() => StartAsync(service, operation, preferredPort: 0));

    /// <summary>
    /// Starts a service kept from before a restart again, in the background, on <paramref name="port"/> when that is
    /// still free (so its URL stays the same), otherwise on the next free port of the Simulator's range.
    /// </summary>
    public void Resume(SimulatedService service, int? port)
    {
        // Held before any new service can be given it: restored services are resumed before the API takes requests.
        var kept = port is { } p && (!ports.Contains(p) || ports.TryHold(service.Name.FullName, p)) ? p : 0;
        _ = Task.Run(() => StartAsync(service, operation: null, kept));
    }

    /// <summary>Begins deleting <paramref name="service"/>; returns its delete operation (the same one if already deleting).</summary>
    public LongRunningOperation Delete(SimulatedService service)
    {
        var deletion = service.BeginDelete(timeProvider.GetUtcNow(),
            snapshot => operations.Start(service.Name.Parent, snapshot), out var started);
        if (started)
        {
            _ = Task.Run(() => DeleteAsync(service, deletion));
        }

        return deletion;
    }

    /// <summary>
    /// Finishes an update. The configuration changes; the running instance is kept (the Simulator does not roll
    /// out a new revision), which is enough for labels and for clients that read the resource back.
    /// </summary>
    public void CompleteUpdate(SimulatedService service, LongRunningOperation operation) =>
        _ = Task.Run(() => CompleteUpdateAsync(service, operation));

    /// <summary>Stops every hosted app: the Simulator is shutting down.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(registry.All.Select(StopInstanceAsync));
        stopping.Dispose();
    }

    /// <param name="operation">The create operation; null when restoring, which no client waits for.</param>
    /// <param name="preferredPort">The port to listen on when free; 0 for any.</param>
    private async Task StartAsync(SimulatedService service, LongRunningOperation? operation, int preferredPort)
    {
        var startedAt = timeProvider.GetTimestamp();
        var slotTaken = false;
        try
        {
            if (operation is null)
            {
                await restoreSlots.WaitAsync(stopping.Token);
                slotTaken = true;
            }
            else if (await store.TrySaveAsync(service, stopping.Token) is { } unsaved)
            {
                // Kept before anything else, so a restart brings back whatever a create reports done.
                Fail(service, operation, ConditionReason.Internal, GrpcInternal, $"The service could not be recorded: {unsaved.Message}");
                return;
            }

            if (faults.OperationDelay is { } delay && delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, timeProvider, stopping.Token);
            }

            // Injected errors are counted per create operation; a restart is not one.
            if (operation is not null && faults.TryTakeOperationError())
            {
                Fail(service, operation, ConditionReason.RevisionFailed, GrpcUnavailable,
                    $"Revision '{service.RevisionId}' is not ready and cannot serve traffic (injected fault).");
                return;
            }

            var image = service.Container.Image!;
            if (TemplateCatalog.FindByImage(image) is not { } template)
            {
                var known = string.Join(", ", TemplateCatalog.All.Select(t => t.Image));
                Fail(service, operation, ConditionReason.ContainerMissing, GrpcNotFound,
                    $"Image '{image}' not found. The Simulator runs these images: {known}.");
                return;
            }

            if (operation is null && preferredPort != 0)
            {
                await LoopbackPort.WaitUntilFreeAsync(preferredPort, options.Value.RestorePortWait, timeProvider, stopping.Token);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            timeout.CancelAfter(options.Value.StartTimeout);
            RunningTemplate running;
            try
            {
                running = await StartOnServicePortAsync(service, template, preferredPort, timeout.Token);
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                ports.Release(service.Name.FullName);
                LogStartFailed(exception, service.Name.FullName);
                var cause = exception is OperationCanceledException
                    ? $"it did not start within {options.Value.StartTimeout.TotalSeconds:0.#} s"
                    : exception.Message;
                Fail(service, operation, ConditionReason.RevisionFailed, GrpcFailedPrecondition,
                    $"Revision '{service.RevisionId}' is not ready and cannot serve traffic. The container failed to start: {cause}");
                return;
            }

            service.MarkReady(running, timeProvider.GetUtcNow());
            if (preferredPort != 0 && running.Url.Port != preferredPort)
            {
                LogPortTaken(service.Name.FullName, new UriBuilder(running.Url) { Port = preferredPort }.Uri, running.Url);
            }

            // Its port, so a restart gives it the same URL; should this fail, it would come back on another port.
            await store.TrySaveAsync(service, stopping.Token);
            operation?.Succeed(service.Snapshot());
            LogReady(service.Name.FullName, running.Url, timeProvider.GetElapsedTime(startedAt).TotalMilliseconds);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            operation?.Fail(new Status(GrpcFailedPrecondition, "The Simulator is shutting down."));
        }
        finally
        {
            if (slotTaken)
            {
                restoreSlots.Release();
            }

            service.FinishStartup();
        }
    }

    /// <summary>
    /// Starts the service's app on <paramref name="keptPort"/> (0: none kept) when it is free, otherwise on the next
    /// free port of the Simulator's range, which the service then keeps.
    /// </summary>
    private async Task<RunningTemplate> StartOnServicePortAsync(SimulatedService service, TemplateDescriptor template,
        int keptPort, CancellationToken cancellationToken)
    {
        var environment = ContainerEnvironment.Of(service);
        if (keptPort != 0)
        {
            try
            {
                return await templateHost.StartOnPortAsync(template, environment, configureServices: null, keptPort, cancellationToken);
            }
            catch (PortTakenException)
            {
                // Taken by something else all the same: the service moves, and the caller says so.
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            var port = ports.Take(service.Name.FullName);
            try
            {
                return await templateHost.StartOnPortAsync(template, environment, configureServices: null, port, cancellationToken);
            }
            catch (PortTakenException) when (attempt < PortAttempts)
            {
            }
        }
    }

    private async Task CompleteUpdateAsync(SimulatedService service, LongRunningOperation operation)
    {
        try
        {
            if (await store.TrySaveAsync(service, stopping.Token) is { } unsaved)
            {
                // It applies in memory, but a restart would undo it: the client must not count on it.
                operation.Fail(new Status(GrpcInternal, $"The update could not be recorded: {unsaved.Message}"));
                return;
            }

            operation.Succeed(service.Snapshot());
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            operation.Fail(new Status(GrpcFailedPrecondition, "The Simulator is shutting down."));
        }
    }

    private async Task DeleteAsync(SimulatedService service, LongRunningOperation deletion)
    {
        await StopInstanceAsync(service);
        try
        {
            // Before the name is free again: a new service of the same name must not lose its file to this deletion.
            await store.DeleteAsync(service.Name, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogForgetFailed(exception, service.Name.FullName);
        }

        ports.Release(service.Name.FullName);
        registry.Remove(service);
        deletion.Succeed(service.Snapshot());
        LogDeleted(service.Name.FullName);
    }

    private async Task StopInstanceAsync(SimulatedService service)
    {
        await service.StartupFinished;
        if (service.Instance is not { } instance)
        {
            return;
        }

        try
        {
            await instance.DisposeAsync();
        }
        catch (Exception exception)
        {
            // A candidate that fails to stop cleanly must not keep its service from being deleted.
            LogStopFailed(exception, service.Name.FullName);
        }
    }

    private void Fail(SimulatedService service, LongRunningOperation? operation, ConditionReason reason, int code, string message)
    {
        service.MarkFailed(reason, message, timeProvider.GetUtcNow());
        operation?.Fail(new Status(code, message));
        LogFailed(service.Name.FullName, message);
    }

    [LoggerMessage(LogLevel.Information, "Service {ServiceName} is ready at {Url} after {ElapsedMs:0.0} ms")]
    private partial void LogReady(string serviceName, Uri url, double elapsedMs);

    [LoggerMessage(LogLevel.Warning, "Service {ServiceName} failed: {Reason}")]
    private partial void LogFailed(string serviceName, string reason);

    [LoggerMessage(LogLevel.Warning, "Service {ServiceName} could not start")]
    private partial void LogStartFailed(Exception exception, string serviceName);

    [LoggerMessage(LogLevel.Warning, "Service {ServiceName} moved from {OldUrl} to {NewUrl}: its old port is taken")]
    private partial void LogPortTaken(string serviceName, Uri oldUrl, Uri newUrl);

    [LoggerMessage(LogLevel.Error, "Service {ServiceName} is deleted, but its file could not be removed: it will come back at the next start")]
    private partial void LogForgetFailed(Exception exception, string serviceName);

    [LoggerMessage(LogLevel.Information, "Service {ServiceName} deleted")]
    private partial void LogDeleted(string serviceName);

    [LoggerMessage(LogLevel.Warning, "Service {ServiceName} did not stop cleanly")]
    private partial void LogStopFailed(Exception exception, string serviceName);
}
