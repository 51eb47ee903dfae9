using Sdp.Hosting.Processes;

namespace Sdp.Hosting.Runners;

/// <summary>
/// A service started from its built dll (<c>dotnet &lt;TargetPath&gt;</c>, working directory = project folder), with
/// Aspire's environment conventions. Healthy when GET /health answers 200.
/// </summary>
internal sealed class ProjectRunner(ProjectResource resource, RunnerContext context, HttpClient httpClient) : IResourceRunner
{
    private readonly string _instanceId = $"{resource.Name}-{Guid.NewGuid().ToString("N")[..8]}";
    private ChildProcess? _process;

    private string ProjectDirectory => Path.GetDirectoryName(resource.Metadata.ProjectPath)!;

    public string? FindMissingPrerequisite() => null;

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in resource.Endpoints)
        {
            if (!endpoint.IsAllocated && endpoint.RequestedPort is int port && port > 0 && !FreePort.IsAvailable(port))
            {
                throw new DistributedApplicationException(
                    $"Port {port} of {resource.Name} is in use by another process. Stop it, or choose another port "
                    + "(--Sdp:OrchestratorPort=0 picks a free one).", resource.Name);
            }

            endpoint.Allocate();
        }

        return Task.CompletedTask;
    }

    public Task<ResourceInstance> StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(resource.Metadata.TargetPath))
        {
            throw new DistributedApplicationException(
                $"{resource.Metadata.TargetPath} does not exist: build the AppHost (it builds every service).", resource.Name);
        }

        _process = ChildProcess.Start(
            new ChildProcessStartInfo(DotnetHost.Path, [resource.Metadata.TargetPath])
            {
                WorkingDirectory = ProjectDirectory,
                Environment = BuildEnvironment(),
            },
            context.OutputOf(resource.Name));
        context.PidFiles.Record(resource.Name, _process.Id, _process.StartTime, NativeMethods.SIGTERM);
        return Task.FromResult(new ResourceInstance(_process.Id, ExitCodeAsync(_process)));
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (resource.HttpEndpoint.Port is not { } port)
        {
            return false;
        }

        try
        {
            using var response = await httpClient.GetAsync(new Uri($"http://127.0.0.1:{port}/health"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task StopAsync(CancellationToken grace)
    {
        if (_process is not { } process)
        {
            return;
        }

        // SIGTERM lets the generic host run its graceful shutdown.
        await process.StopAsync(NativeMethods.SIGTERM, grace).ConfigureAwait(false);
        context.PidFiles.Remove(resource.Name, process.Id);
        _process = null;
    }

    /// <summary>Lowest to highest precedence: host defaults, launch profile, Aspire's conventions, WithEnvironment.</summary>
    internal Dictionary<string, string> BuildEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            // One line per log entry reads well behind the [resource] prefix and on the dashboard.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "false",
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        };

        if (LaunchProfile.Read(ProjectDirectory) is { } profile)
        {
            environment["DOTNET_LAUNCH_PROFILE"] = profile.Name;
            foreach (var (name, value) in profile.EnvironmentVariables)
            {
                environment[name] = value;
            }
        }

        environment["OTEL_SERVICE_NAME"] = resource.Name;
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={_instanceId}";
        environment["ASPNETCORE_URLS"] = resource.HttpEndpoint.Url!.ToString().TrimEnd('/');
        if (context.OtlpEndpoint is { } otlp)
        {
            // As Aspire's AppHost does in development: export to the host, often enough to watch live.
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.ToString().TrimEnd('/');
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_METRIC_EXPORT_INTERVAL"] = "5000";
        }

        foreach (var reference in resource.References)
        {
            AddReference(environment, reference);
        }

        foreach (var (name, value) in resource.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    private void AddReference(Dictionary<string, string> environment, IResource reference)
    {
        switch (reference)
        {
            case IResourceWithConnectionString source:
                environment[$"ConnectionStrings__{resource.ConnectionNameOf(source)}"] = source.ConnectionString
                    ?? throw new DistributedApplicationException(
                        $"{resource.Name} references {source.Name}, which has no connection string.", resource.Name);
                break;
            case Resource { } service and IResourceWithServiceDiscovery:
                foreach (var endpoint in service.Endpoints)
                {
                    var url = endpoint.Url ?? throw new DistributedApplicationException(
                        $"{resource.Name} references {service.Name}, whose endpoints are not allocated.", resource.Name);
                    environment[$"services__{service.Name}__{endpoint.Name}__0"] = url.ToString().TrimEnd('/');
                }

                break;
        }
    }

    private async Task<int?> ExitCodeAsync(ChildProcess process)
    {
        var exitCode = await process.Exited.ConfigureAwait(false);
        context.PidFiles.Remove(resource.Name, process.Id);
        return exitCode;
    }
}
