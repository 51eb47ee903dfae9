using Microsoft.Extensions.Options;
using Sdp.Simulator.CloudRun.Faults;
using Sdp.Simulator.CloudRun.Model;
using Sdp.Simulator.CloudRun.Operations;
using Sdp.Templates;
using Sdp.Templates.Hosting;

namespace Sdp.Simulator.CloudRun.Services;

/// <summary>
/// Runs services the way Cloud Run would, but in this process: the template matching the container image
/// is started on its own loopback port with the container's environment. Starting and stopping happen in
/// the background; the operations report when they are over.
/// </summary>
public sealed partial class ServiceRuntime(
    TemplateHost templateHost,
    ServiceRegistry registry,
    OperationRegistry operations,
    TimeProvider timeProvider,
    IOptions<CloudRunSimulatorOptions> options,
    FaultInjector faults,
    ILogger<ServiceRuntime> logger) : IAsyncDisposable
{
    private const int GrpcNotFound = 5;
    private const int GrpcFailedPrecondition = 9;
    private const int GrpcUnavailable = 14;

    private readonly CancellationTokenSource stopping = new();

    /// <summary>Starts <paramref name="service"/> in the background; <paramref name="operation"/> finishes when it runs or fails.</summary>
    public void Start(SimulatedService service, LongRunningOperation operation) =>
        _ = Task.Run(() => StartAsync(service, operation));

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
        _ = Task.Run(() => operation.Succeed(service.Snapshot()));

    /// <summary>Stops every hosted app: the Simulator is shutting down.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(registry.All.Select(StopInstanceAsync));
        stopping.Dispose();
    }

    private async Task StartAsync(SimulatedService service, LongRunningOperation operation)
    {
        var startedAt = timeProvider.GetTimestamp();
        try
        {
            if (faults.OperationDelay is { } delay && delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, timeProvider, stopping.Token);
            }

            if (faults.TryTakeOperationError())
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

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            timeout.CancelAfter(options.Value.StartTimeout);
            RunningTemplate running;
            try
            {
                running = await templateHost.StartAsync(template, ContainerEnvironment(service), timeout.Token);
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                LogStartFailed(exception, service.Name.FullName);
                var cause = exception is OperationCanceledException
                    ? $"it did not start within {options.Value.StartTimeout.TotalSeconds:0.#} s"
                    : exception.Message;
                Fail(service, operation, ConditionReason.RevisionFailed, GrpcFailedPrecondition,
                    $"Revision '{service.RevisionId}' is not ready and cannot serve traffic. The container failed to start: {cause}");
                return;
            }

            service.MarkReady(running, timeProvider.GetUtcNow());
            operation.Succeed(service.Snapshot());
            LogReady(service.Name.FullName, running.Url, timeProvider.GetElapsedTime(startedAt).TotalMilliseconds);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            operation.Fail(new Status(GrpcFailedPrecondition, "The Simulator is shutting down."));
        }
        finally
        {
            service.FinishStartup();
        }
    }

    private async Task DeleteAsync(SimulatedService service, LongRunningOperation deletion)
    {
        await StopInstanceAsync(service);
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

    private void Fail(SimulatedService service, LongRunningOperation operation, ConditionReason reason, int code, string message)
    {
        service.MarkFailed(reason, message, timeProvider.GetUtcNow());
        operation.Fail(new Status(code, message));
        LogFailed(service.Name.FullName, message);
    }

    /// <summary>The container's own variables plus the ones Cloud Run sets for every container.</summary>
    private static Dictionary<string, string> ContainerEnvironment(SimulatedService service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in service.Container.Env ?? [])
        {
            environment[variable.Name!] = variable.Value ?? "";
        }

        environment["K_SERVICE"] = service.Name.ServiceId;
        environment["K_REVISION"] = service.RevisionId;
        environment["K_CONFIGURATION"] = service.Name.ServiceId;
        return environment;
    }

    [LoggerMessage(LogLevel.Information, "Service {ServiceName} is ready at {Url} after {ElapsedMs:0.0} ms")]
    private partial void LogReady(string serviceName, Uri url, double elapsedMs);

    [LoggerMessage(LogLevel.Warning, "Service {ServiceName} failed: {Reason}")]
    private partial void LogFailed(string serviceName, string reason);

    [LoggerMessage(LogLevel.Warning, "Service {ServiceName} could not start")]
    private partial void LogStartFailed(Exception exception, string serviceName);

    [LoggerMessage(LogLevel.Information, "Service {ServiceName} deleted")]
    private partial void LogDeleted(string serviceName);

    [LoggerMessage(LogLevel.Warning, "Service {ServiceName} did not stop cleanly")]
    private partial void LogStopFailed(Exception exception, string serviceName);
}
