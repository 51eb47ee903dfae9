using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Sdp.Hosting.Dashboard;
using Sdp.Hosting.Telemetry;
using Sdp.Hosting.Processes;
using Sdp.Hosting.Runners;

namespace Sdp.Hosting;

/// <summary>
/// The running application: starts every declared resource (servers from the machine's binaries, services from
/// their built dlls), serves the dashboard, and stops everything again, in reverse dependency order.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly IReadOnlyList<Resource> _resources;
    private readonly HostSettings _settings;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly StateDirectory _state;
    private readonly HttpClient _healthClient;
    private readonly ResourceOrchestrator _orchestrator;
    private readonly RunnerContext _runnerContext;
    private DashboardServer? _dashboard;
    private PrometheusServer? _prometheus;
    private ProcessReaper? _reaper;
    private int _started;
    private int _stopReported;
    private bool _disposed;

    internal DistributedApplication(IReadOnlyList<Resource> resources, IConfiguration configuration, string appHostDirectory)
    {
        _resources = resources;
        _settings = HostSettings.From(configuration, appHostDirectory);
        _timeProvider = TimeProvider.System;
        _loggerFactory = LoggerFactory.Create(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddConsole(options => options.FormatterName = HostConsoleFormatter.FormatterName)
            .AddConsoleFormatter<HostConsoleFormatter, ConsoleFormatterOptions>());
        _logger = _loggerFactory.CreateLogger("Sdp.Hosting");
        _state = new StateDirectory(_settings.StateDirectory);
        // No proxy: health checks go to loopback, whatever http_proxy says.
        _healthClient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

        ResourceNotifications = new ResourceNotificationService(resources);
        ResourceLogs = new ResourceLogs(resources.Select(r => r.Name), _loggerFactory, _timeProvider);
        Telemetry = _settings.CollectTelemetry ? new TelemetryStore(new TelemetryLimits()) : null;
        var context = new RunnerContext(_settings, _state, ResourceLogs, _timeProvider);
        _runnerContext = context;
        _orchestrator = new ResourceOrchestrator(resources, resource => CreateRunner(resource, context),
            ResourceNotifications, ResourceLogs, _logger, _timeProvider, new OrchestratorTimings());
    }

    public ResourceNotificationService ResourceNotifications { get; }

    /// <summary>The last 1,000 console lines of each resource.</summary>
    public ResourceLogs ResourceLogs { get; }

    public IReadOnlyList<IResource> Resources => _resources;

    /// <summary>The traces, logs and metrics the services sent over OTLP (null when Dashboard:CollectTelemetry is false).</summary>
    internal TelemetryStore? Telemetry { get; }

    /// <summary>The state folder in use (data, passwords, pid files).</summary>
    public string StateDirectory => _settings.StateDirectory;

    /// <summary>The dashboard's address, once started.</summary>
    public Uri DashboardUrl => _dashboard?.Url ?? throw new InvalidOperationException("The dashboard runs once the application has started.");

    /// <summary>Where the services send OTLP/HTTP, once started; null when the host does not collect telemetry.</summary>
    public Uri? OtlpUrl => _dashboard?.OtlpUrl;

    /// <summary>Prometheus's address when the host started it (Prometheus:Enabled and installed), else null.</summary>
    public Uri? PrometheusUrl => _prometheus?.Url;

    /// <summary>The builder for an AppHost's Program.cs.</summary>
    public static IDistributedApplicationBuilder CreateBuilder(string[] args)
    {
        var interception = EntryPointInterception.Current;
        return new DistributedApplicationBuilder(args, interception?.AppHostAssembly ?? Assembly.GetEntryAssembly(), interception);
    }

    /// <summary>
    /// Starts everything and returns once every resource is Running and Healthy. Throws
    /// <see cref="DistributedApplicationException"/> naming the resource that failed (at once for a missing
    /// server binary), or <see cref="OperationCanceledException"/> listing what was not healthy yet.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The Sdp host runs on Linux: it uses setsid, setpriv and /proc.");
        }

        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The application was already started.");
        }

        var startedAt = _timeProvider.GetTimestamp();
        _logger.LogInformation("Starting {Count} resources; state in {StateDirectory}", _resources.Count, _settings.StateDirectory);
        _state.Lock();
        await _state.PidFiles.StopLeftoversAsync(_logger, _timeProvider, cancellationToken).ConfigureAwait(false);
        _reaper = ProcessReaper.Start(_state.PidFiles);
        _dashboard = await DashboardServer.StartAsync(_settings, ResourceNotifications, ResourceLogs, Telemetry, _healthClient,
            cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Dashboard: {DashboardUrl}", _dashboard.Url);
        _runnerContext.OtlpEndpoint = _dashboard.OtlpUrl;

        await _orchestrator.StartAsync(cancellationToken).ConfigureAwait(false);
        // Once every project listens, so the scrape targets are known.
        _prometheus = await PrometheusServer.StartAsync(_settings, _state, _resources.OfType<ProjectResource>(), _healthClient,
            _logger, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("all resources healthy in {Seconds:0.0} s", _timeProvider.GetElapsedTime(startedAt).TotalSeconds);
    }

    /// <summary>Stops every resource in reverse dependency order, within Sdp:ShutdownTimeoutSeconds (15 s).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _started) == 0)
        {
            return;
        }

        var stoppingAt = _timeProvider.GetTimestamp();
        if (Interlocked.Exchange(ref _prometheus, null) is { } prometheus)
        {
            using var grace = new CancellationTokenSource(_settings.ShutdownTimeout / 3);
            await prometheus.StopAsync(grace.Token).ConfigureAwait(false);
        }

        await _orchestrator.StopAsync(_settings.ShutdownTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _stopReported, 1) == 0)
        {
            _logger.LogInformation("stopped in {Seconds:0.0} s", _timeProvider.GetElapsedTime(stoppingAt).TotalSeconds);
        }
    }

    /// <summary>Runs until Ctrl+C or SIGTERM (or SIGHUP, SIGQUIT), then stops everything.</summary>
    public void Run() => RunAsync().GetAwaiter().GetResult();

    /// <inheritdoc cref="Run"/>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext signal)
        {
            // Ours to handle: the children are in sessions of their own and are stopped in order.
            signal.Cancel = true;
            stopping.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        try
        {
            await StartAsync(stopping.Token).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped while starting.
        }
        catch (DistributedApplicationException e)
        {
            _logger.LogError("{Error}", e.Message);
            Environment.ExitCode = 1;
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    public Task<string?> GetConnectionStringAsync(string resourceName, CancellationToken cancellationToken = default) =>
        Find(resourceName) is IResourceWithConnectionString resource
            ? Task.FromResult(resource.ConnectionString)
            : throw new InvalidOperationException($"Resource '{resourceName}' has no connection string.");

    /// <summary>The URL of a resource's endpoint (allocated when the application starts).</summary>
    public Uri GetEndpoint(string resourceName, string endpointName = "http")
    {
        var resource = Find(resourceName);
        var endpoint = resource.Endpoints.FirstOrDefault(e => e.Name == endpointName)
            ?? throw new InvalidOperationException(
                $"Resource '{resourceName}' has no endpoint '{endpointName}' (it has: {string.Join(", ", resource.Endpoints.Select(e => e.Name))}).");
        return endpoint.Url ?? throw new InvalidOperationException($"Endpoint '{endpointName}' of '{resourceName}' is allocated when the application starts.");
    }

    /// <summary>The current process id of a resource (for PostgreSQL the postmaster), or null while it has none.</summary>
    public int? GetProcessId(string resourceName) => ResourceNotifications.GetSnapshot(resourceName).ProcessId;

    /// <summary>Every live process the host started and still tracks, helpers such as epmd included.</summary>
    public IReadOnlyList<int> GetTrackedProcessIds() => _state.PidFiles.LiveProcessIds();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_dashboard is not null)
            {
                await _dashboard.DisposeAsync().ConfigureAwait(false);
            }

            if (_reaper is not null)
            {
                await _reaper.DisposeAsync().ConfigureAwait(false);
            }

            _state.Unlock();
            _healthClient.Dispose();
            // Flushes the console logger's queue.
            _loggerFactory.Dispose();
        }
    }

    private Resource Find(string resourceName) =>
        _resources.FirstOrDefault(r => string.Equals(r.Name, resourceName, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No resource named '{resourceName}'.", nameof(resourceName));

    private IResourceRunner CreateRunner(Resource resource, RunnerContext context) => resource switch
    {
        PostgresServerResource postgres => new PostgresRunner(postgres, context),
        PostgresDatabaseResource database => new PostgresDatabaseRunner(database),
        PostgresLoginRoleResource role => new PostgresLoginRoleRunner(role, context),
        RedisResource redis => new RedisRunner(redis, context),
        RabbitMQServerResource rabbitMQ => new RabbitMqRunner(rabbitMQ, context),
        ProjectResource project => new ProjectRunner(project, context, _healthClient),
        _ => throw new NotSupportedException($"No runner for {resource.GetType().Name} ('{resource.Name}')."),
    };
}
