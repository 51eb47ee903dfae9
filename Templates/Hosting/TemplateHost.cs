using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sdp.Templates.Hosting;

/// <summary>
/// Starts template apps inside the current process, each on its own free loopback port: what the
/// Simulator does instead of running a container per deployment.
/// </summary>
public sealed class TemplateHost(ILoggerFactory loggerFactory)
{
    /// <summary>
    /// Builds and starts the app for <paramref name="template"/> with <paramref name="environment"/> as its
    /// whole environment. Returns once Kestrel listens; the app connects to its databases on first use.
    /// </summary>
    /// <exception cref="ArgumentException">No app runs this template.</exception>
    /// <exception cref="InvalidOperationException">The app refused its environment (e.g. a connection string is missing).</exception>
    public Task<RunningTemplate> StartAsync(TemplateDescriptor template, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken) =>
        StartAsync(template, environment, configureServices: null, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(TemplateDescriptor, IReadOnlyDictionary{string, string}, CancellationToken)"/>, with
    /// <paramref name="configureServices"/> applied after the app's own registrations (tests replace components with it).
    /// </summary>
    public Task<RunningTemplate> StartAsync(TemplateDescriptor template, IReadOnlyDictionary<string, string> environment,
        Action<IServiceCollection>? configureServices, CancellationToken cancellationToken) =>
        StartOnPortAsync(Find(template), template, environment, configureServices, port: 0, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(TemplateDescriptor, IReadOnlyDictionary{string, string}, Action{IServiceCollection}, CancellationToken)"/>,
    /// listening on exactly <paramref name="port"/>.
    /// </summary>
    /// <exception cref="PortTakenException">Something else listens on <paramref name="port"/>.</exception>
    public async Task<RunningTemplate> StartOnPortAsync(TemplateDescriptor template, IReadOnlyDictionary<string, string> environment,
        Action<IServiceCollection>? configureServices, int port, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var templateApp = Find(template);
        try
        {
            return await StartOnPortAsync(templateApp, template, environment, configureServices, port, cancellationToken);
        }
        catch (IOException exception) when (IsAddressInUse(exception))
        {
            throw new PortTakenException(port, exception);
        }
    }

    private static ITemplateApp Find(TemplateDescriptor template) =>
        TemplateApps.Find(template) ?? throw new ArgumentException($"No app runs template '{template.ProblemType}'.", nameof(template));

    private async Task<RunningTemplate> StartOnPortAsync(ITemplateApp templateApp, TemplateDescriptor template,
        IReadOnlyDictionary<string, string> environment, Action<IServiceCollection>? configureServices, int port,
        CancellationToken cancellationToken)
    {
        var context = TemplateAppContext.InProcess(environment, loggerFactory, port) with { ConfigureServices = configureServices };
        var app = templateApp.Build(context);
        try
        {
            await app.StartAsync(cancellationToken);
            return new RunningTemplate(template, ListeningUrl(app), app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    // Kestrel reports a taken port as an IOException ("Failed to bind to address") around AddressInUseException.
    private static bool IsAddressInUse(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is AddressInUseException)
            {
                return true;
            }
        }

        return false;
    }

    private static Uri ListeningUrl(WebApplication app) =>
        // Kestrel reports the port it bound, e.g. http://127.0.0.1:41234, once started.
        new(app.Urls.FirstOrDefault() ?? throw new InvalidOperationException("The app started without a listening address."));
}
