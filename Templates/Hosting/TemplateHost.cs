using Microsoft.AspNetCore.Builder;
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
    public async Task<RunningTemplate> StartAsync(TemplateDescriptor template, IReadOnlyDictionary<string, string> environment,
        Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        var templateApp = TemplateCatalog.FindApp(template)
            ?? throw new ArgumentException($"No app runs template '{template.ProblemType}'.", nameof(template));

        var context = TemplateAppContext.InProcess(environment, loggerFactory) with { ConfigureServices = configureServices };
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

    private static Uri ListeningUrl(WebApplication app) =>
        // Kestrel reports the port it bound, e.g. http://127.0.0.1:41234, once started.
        new(app.Urls.FirstOrDefault() ?? throw new InvalidOperationException("The app started without a listening address."));
}
