using System.Diagnostics;
using Microsoft.Extensions.Options;
using Sdp.Contracts;
using Sdp.Provisioning.Candidates;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Targets;
using Sdp.Templates.Catalog;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Provisioner.Worker.Provisioning;

/// <summary>
/// Builds one deployment: the candidate's database role and schema, its Redis user, and its service on the
/// deployment target, then waits for the service to answer. The three resources are independent (the service
/// only needs the credentials, which are known up front), so they are created at the same time.
/// On any failure or past the deadline, whatever was created is removed.
/// </summary>
public sealed class CandidateProvisioner(
    CandidateDatabase database,
    CandidateRedis redis,
    IDeploymentTarget target,
    ServiceHealthProbe healthProbe,
    CandidateTeardown teardown,
    IOptions<ProvisioningOptions> options,
    ILogger<CandidateProvisioner> logger)
{
    /// <param name="serviceSpec">The spec a custom deployment serves; ignored for the templates.</param>
    public async Task<ProvisioningOutcome> ProvisionAsync(long deploymentId, string problemType,
        IReadOnlyDictionary<string, string>? settings, ServiceSpec? serviceSpec, CancellationToken cancellationToken)
    {
        var names = new CandidateResourceNames(deploymentId);
        var template = TemplateCatalog.Find(problemType);
        if (template is null)
        {
            return ProvisioningOutcome.Failed(deploymentId, $"Unknown problem type '{problemType}'.");
        }

        // Before anything is created: a custom deployment without a usable spec fails here and leaves nothing behind.
        var (content, contentFailure) = DeploymentContent.For(template, serviceSpec);
        if (content is null)
        {
            logger.LogWarning("Deployment {DeploymentId} failed: {Reason}", deploymentId, contentFailure);
            return ProvisioningOutcome.Failed(deploymentId, contentFailure!);
        }

        using var activity = SdpTelemetry.ActivitySource.StartActivity("provision deployment");
        activity?.SetTag("sdp.deployment.id", deploymentId);
        activity?.SetTag("sdp.problem_type", problemType);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.Deadline);
        var total = Stopwatch.StartNew();
        try
        {
            var databasePassword = CandidatePassword.Generate();
            var redisPassword = CandidatePassword.Generate();
            var spec = new CandidateServiceSpec(
                deploymentId,
                names.ServiceId,
                template.Image,
                CandidateEnvironmentFor(template, settings, content, new Dictionary<string, string>
                {
                    [CandidateEnvironment.Database] = database.ConnectionStringFor(names, databasePassword),
                    [CandidateEnvironment.Redis] = redis.ConfigurationFor(names, redisPassword),
                    [CandidateEnvironment.RedisKeyPrefix] = names.RedisPrefix,
                    [CandidateEnvironment.DeploymentId] = deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }),
                new Dictionary<string, string>
                {
                    ["managed-by"] = "sdp",
                    ["sdp-deployment-id"] = deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["sdp-problem-type"] = problemType.Replace('_', '-'),
                });

            var token = deadline.Token;
            // One span per step, so a trace shows where the time went (Redis has no instrumentation of its own).
            var databaseStep = TimeAsync("create candidate database",
                () => database.CreateAsync(names, databasePassword, content.SchemaSql, token));
            var redisStep = TimeAsync("create candidate redis user", () => redis.CreateUserAsync(names, redisPassword, token));
            var serviceStep = TimeAsync("deploy candidate service", () => target.DeployAsync(spec, token));
            await Task.WhenAll(databaseStep, redisStep, serviceStep);

            var (service, serviceMs) = await serviceStep;
            var healthWatch = Stopwatch.StartNew();
            await TimeAsync("wait for first healthy answer", () => healthProbe.WaitUntilHealthyAsync(service.Url, token));
            SdpMetrics.ColdStartDuration.Record((serviceMs + healthWatch.Elapsed.TotalMilliseconds) / 1000,
                new KeyValuePair<string, object?>(SdpMetrics.ProblemTypeTag, problemType),
                new KeyValuePair<string, object?>(SdpMetrics.TargetTag, TargetKind));

            var timings = new ProvisioningTimings(
                DatabaseMs: await databaseStep,
                RedisMs: await redisStep,
                ServiceMs: serviceMs,
                HealthMs: healthWatch.Elapsed.TotalMilliseconds,
                TotalMs: total.Elapsed.TotalMilliseconds);
            logger.LogInformation(
                "Deployment {DeploymentId} ready at {EndpointUrl} in {TotalMs:F1} ms (database {DatabaseMs:F1}, Redis {RedisMs:F1}, service {ServiceMs:F1}, health {HealthMs:F1})",
                deploymentId, service.Url, timings.TotalMs, timings.DatabaseMs, timings.RedisMs, timings.ServiceMs,
                timings.HealthMs);
            return ProvisioningOutcome.Ready(deploymentId, service.Url, timings);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = exception switch
            {
                OperationCanceledException => $"Not ready within the deadline of {options.Value.Deadline.TotalSeconds:0.#} s.",
                DeploymentTargetException target => target.Message,
                // Server messages name objects, never credentials: safe to show.
                Npgsql.PostgresException postgres => $"Creating the candidate database failed: {postgres.MessageText}.",
                StackExchange.Redis.RedisException => "Creating the candidate Redis user failed.",
                HttpRequestException http => $"The deployment target could not be reached: {http.Message}",
                _ => $"Provisioning failed: {exception.GetType().Name}.",
            };
            logger.LogWarning(exception, "Deployment {DeploymentId} failed: {Reason}", deploymentId, reason);
            activity?.SetStatus(ActivityStatusCode.Error, reason);

            await RemoveLeftoversAsync(names, cancellationToken);
            return ProvisioningOutcome.Failed(deploymentId, reason);
        }
    }

    /// <summary>Removes whatever an earlier, interrupted attempt may have created.</summary>
    public async Task RemoveLeftoversAsync(CandidateResourceNames names, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.TeardownTimeout);
        await teardown.RemoveAsync(names, timeout.Token);
    }

    /// <summary>The <c>target</c> label of Sdp's metrics: a small, fixed set of names.</summary>
    public string TargetKind => target is CloudRunDeploymentTarget ? "cloud_run" : "other";

    private static async Task<double> TimeAsync(string stepName, Func<Task> step)
    {
        using var activity = SdpTelemetry.ActivitySource.StartActivity(stepName);
        var watch = Stopwatch.StartNew();
        try
        {
            await step();
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }

        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<(T Result, double Milliseconds)> TimeAsync<T>(string stepName, Func<Task<T>> step)
    {
        using var activity = SdpTelemetry.ActivitySource.StartActivity(stepName);
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await step();
            return (result, watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }
    }

    /// <summary>
    /// The container environment: the platform's variables, the content's (a custom service's spec), plus the template
    /// settings the request chose. Only names the template declares pass (the API has checked them; this keeps a forged
    /// message from setting anything else).
    /// </summary>
    private static Dictionary<string, string> CandidateEnvironmentFor(TemplateDescriptor template,
        IReadOnlyDictionary<string, string>? settings, DeploymentContent content, Dictionary<string, string> platform)
    {
        foreach (var (name, value) in content.Environment)
        {
            platform.TryAdd(name, value);
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            if (template.Settings.Any(s => string.Equals(s.Name, name, StringComparison.Ordinal)))
            {
                platform.TryAdd(name, value);
            }
        }

        return platform;
    }
}
