using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// Runs candidate services on Cloud Run (or the Simulator, which speaks the same API). Idempotent: a
/// service that already exists with this id is adopted when it runs the same container and is ready, and
/// replaced otherwise (it is a leftover of an earlier attempt for the same deployment).
/// </summary>
public sealed partial class CloudRunDeploymentTarget(
    ICloudRunClient client,
    CloudRunLocationPool pool,
    SecretManagerClient secrets,
    IOptions<CloudRunOptions> options,
    TimeProvider timeProvider,
    ILogger<CloudRunDeploymentTarget> logger) : IDeploymentTarget
{
    private const int GrpcNotFound = 5;

    public async Task<DeployedService> DeployAsync(CandidateServiceSpec spec, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var deadline = new CancellationTokenSource(settings.ServiceDeadline, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var service = await CreateOrAdoptAsync(spec, linked.Token);
            return new DeployedService(spec.ServiceId, new Uri(service.Uri!));
        }
        catch (CloudRunApiException exception)
        {
            throw new DeploymentTargetException($"Cloud Run refused service {spec.ServiceId}: {exception.Message}", exception);
        }
        catch (Exception exception) when (IsUnreachable(exception) && !cancellationToken.IsCancellationRequested)
        {
            throw new DeploymentTargetException(
                $"Cloud Run could not be reached for service {spec.ServiceId}: {exception.Message}", exception);
        }
        catch (Exception exception) when (IsDeadline(exception, deadline, cancellationToken))
        {
            throw new DeploymentTargetException(
                $"Service {spec.ServiceId} was not ready within {settings.ServiceDeadline.TotalSeconds:0.###} s.", exception);
        }
    }

    public async Task<bool> RemoveAsync(string serviceId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var deadline = new CancellationTokenSource(settings.ServiceDeadline, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var deleted = false;
            foreach (var location in await LocationsHoldingAsync(serviceId, linked.Token))
            {
                deleted |= await DeleteAsync(location, ServiceName(location, serviceId), linked.Token);
            }

            // After the service, so no running revision loses its credentials; also when the service was gone,
            // since a deploy that failed after storing its secrets leaves them behind.
            await DeleteSecretsAsync(serviceId, linked.Token);
            return deleted;
        }
        catch (CloudRunApiException exception)
        {
            throw new DeploymentTargetException($"Cloud Run refused to delete service {serviceId}: {exception.Message}", exception);
        }
        catch (Exception exception) when (IsUnreachable(exception) && !cancellationToken.IsCancellationRequested)
        {
            throw new DeploymentTargetException(
                $"Cloud Run could not be reached to delete service {serviceId}: {exception.Message}", exception);
        }
        catch (Exception exception) when (IsDeadline(exception, deadline, cancellationToken))
        {
            throw new DeploymentTargetException(
                $"Service {serviceId} was not deleted within {settings.ServiceDeadline.TotalSeconds:0.###} s.", exception);
        }
    }

    private async Task<CloudRunService> CreateOrAdoptAsync(CandidateServiceSpec spec, CancellationToken cancellationToken)
    {
        var settings = CandidateServiceDefinition.SettingsFor(spec.Image, options.Value);
        var location = await pool.ChooseAsync(spec.ServiceId, cancellationToken);
        var secretNames = options.Value.SecretMode == CloudRunSecretMode.SecretManager
            ? await StoreSecretsAsync(location.Project, spec, cancellationToken)
            : null;
        var desired = CandidateServiceDefinition.From(spec, settings, secretNames);
        var name = ServiceName(location, spec.ServiceId);
        CloudRunOperation operation;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                operation = await client.CreateServiceAsync(location.Parent, desired, spec.ServiceId, cancellationToken);
                break;
            }
            catch (CloudRunApiException exception) when (exception.Status == CloudRunApiException.AlreadyExists && attempt == 1)
            {
                // Our own earlier attempt, or this very create: a POST retried after a timeout whose first try did
                // get through meets ALREADY_EXISTS here. Either way, confirm with GET.
                var existing = await GetWhenReconciledAsync(name, cancellationToken);
                if (existing is null)
                {
                    continue;
                }

                if (existing.IsReady && CandidateServiceDefinition.RunsSameContainer(existing, desired))
                {
                    LogAdopted(name);
                    return RequireReady(spec.ServiceId, existing);
                }

                LogReplacing(name, existing.IsReady ? "runs a different container" : "is not ready");
                await DeleteAsync(location, name, cancellationToken);
            }
        }

        pool.Created(location);
        var done = await client.PollUntilCompletedAsync(operation, options.Value.PollSettings, cancellationToken);
        if (done.Error is { } error)
        {
            throw new DeploymentTargetException($"Service {spec.ServiceId} could not start: {error.Message}");
        }

        return RequireReady(spec.ServiceId, done.Response ?? await client.GetServiceAsync(name, cancellationToken));
    }

    /// <summary>Stores the spec's credentials in Secret Manager; returns variable → secret name.</summary>
    private async Task<IReadOnlyDictionary<string, string>> StoreSecretsAsync(string project, CandidateServiceSpec spec,
        CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CandidateServiceDefinition.ManagedByLabel] = CandidateServiceDefinition.ManagedByValue,
            [CandidateServiceDefinition.DeploymentIdLabel] = spec.DeploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (variable, suffix) in CandidateSecrets.Credentials)
        {
            if (spec.Environment.TryGetValue(variable, out var value))
            {
                names[variable] = await secrets.StoreAsync(project, CandidateSecrets.SecretId(spec.ServiceId, suffix), value,
                    labels, cancellationToken);
            }
        }

        return names;
    }

    private async Task DeleteSecretsAsync(string serviceId, CancellationToken cancellationToken)
    {
        if (options.Value.SecretMode != CloudRunSecretMode.SecretManager)
        {
            return;
        }

        // The service's location is not recorded, so its secrets are looked for in every project of the pool.
        foreach (var project in pool.Locations.Select(l => l.Project).Distinct(StringComparer.Ordinal))
        {
            foreach (var secretId in CandidateSecrets.SecretIds(serviceId))
            {
                await secrets.DeleteAsync(project, secretId, cancellationToken);
            }
        }
    }

    /// <summary>Deletes and waits; false when there was nothing to delete.</summary>
    private async Task<bool> DeleteAsync(CloudRunLocation location, string name, CancellationToken cancellationToken)
    {
        CloudRunOperation operation;
        try
        {
            operation = await client.DeleteServiceAsync(name, cancellationToken);
        }
        catch (CloudRunApiException exception) when (exception.Status == CloudRunApiException.NotFound)
        {
            return false;
        }

        var done = await client.PollUntilCompletedAsync(operation, options.Value.PollSettings, cancellationToken);
        if (done.Error is { } error && error.Code != GrpcNotFound)
        {
            throw new DeploymentTargetException($"Deleting {name} failed: {error.Message}");
        }

        pool.Deleted(location);
        LogDeleted(name);
        return true;
    }

    /// <summary>The service once Cloud Run has stopped reconciling it, or null when it does not exist.</summary>
    private async Task<CloudRunService?> GetWhenReconciledAsync(string name, CancellationToken cancellationToken)
    {
        var poll = options.Value.PollSettings;
        var delay = poll.InitialDelay;
        while (true)
        {
            CloudRunService service;
            try
            {
                service = await client.GetServiceAsync(name, cancellationToken);
            }
            catch (CloudRunApiException exception) when (exception.Status == CloudRunApiException.NotFound)
            {
                return null;
            }

            if (service.Reconciling != true)
            {
                return service;
            }

            await Task.Delay(delay, timeProvider, cancellationToken);
            delay = poll.NextDelay(delay);
        }
    }

    private static CloudRunService RequireReady(string serviceId, CloudRunService service)
    {
        if (!service.IsReady)
        {
            var reason = service.TerminalCondition?.Message is { Length: > 0 } message ? message : "no reason was given";
            throw new DeploymentTargetException($"Service {serviceId} is not ready: {reason}");
        }

        return string.IsNullOrEmpty(service.Uri) || !Uri.IsWellFormedUriString(service.Uri, UriKind.Absolute)
            ? throw new DeploymentTargetException($"Service {serviceId} is ready but has no URL.")
            : service;
    }

    /// <summary>
    /// Where a service may be. With one location that is simply it (a DELETE of a missing service answers 404);
    /// with a pool, reads find it, so a removal spends no write quota on locations that never held it.
    /// </summary>
    private async Task<IReadOnlyList<CloudRunLocation>> LocationsHoldingAsync(string serviceId,
        CancellationToken cancellationToken)
    {
        if (pool.Locations.Count == 1)
        {
            return pool.Locations;
        }

        var holding = new List<CloudRunLocation>();
        foreach (var location in pool.Locations)
        {
            try
            {
                await client.GetServiceAsync(ServiceName(location, serviceId), cancellationToken);
                holding.Add(location);
            }
            catch (CloudRunApiException exception) when (exception.Status == CloudRunApiException.NotFound)
            {
            }
        }

        return holding;
    }

    private static string ServiceName(CloudRunLocation location, string serviceId) => $"{location.Parent}/services/{serviceId}";

    /// <summary>The API did not answer usefully: retries are spent, an attempt timed out, or the breaker is open.</summary>
    private static bool IsUnreachable(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException;

    private static bool IsDeadline(Exception exception, CancellationTokenSource deadline, CancellationToken caller) =>
        !caller.IsCancellationRequested
        && (exception is TimeoutException || (exception is OperationCanceledException && deadline.IsCancellationRequested));

    [LoggerMessage(LogLevel.Information, "Adopted existing service {ServiceName}")]
    private partial void LogAdopted(string serviceName);

    [LoggerMessage(LogLevel.Warning, "Replacing existing service {ServiceName}: it {Reason}")]
    private partial void LogReplacing(string serviceName, string reason);

    [LoggerMessage(LogLevel.Debug, "Deleted service {ServiceName}")]
    private partial void LogDeleted(string serviceName);
}
