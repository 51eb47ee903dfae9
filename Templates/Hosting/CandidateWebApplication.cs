using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sdp.Templates.Hosting;

/// <summary>
/// The one way a template app is built, kept cheap because the Simulator starts one per deployment:
/// an empty builder (no configuration files and so no file watchers, no hosting-startup scan, no
/// environment variables of the hosting process), Kestrel and routing only, configuration from the
/// container environment alone.
/// </summary>
public static class CandidateWebApplication
{
    /// <summary>Request bodies of template APIs are small; bigger ones are refused before they are read.</summary>
    private const long MaxRequestBodyBytes = 64 * 1024;

    public static WebApplicationBuilder CreateBuilder(TemplateAppContext context, string applicationName)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = applicationName,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Configuration.AddInMemoryCollection(ToConfigurationKeys(context.Environment));

        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Listen(context.ListenEndPoint);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddProblemDetails();
        builder.Services.TryAddSingleton(TimeProvider.System);

        if (context.LoggerFactory is { } hostLoggerFactory)
        {
            var deploymentId = context.Environment.GetValueOrDefault(CandidateEnvironment.DeploymentId, "");
            builder.Services.AddSingleton<ILoggerFactory>(new CandidateLoggerFactory(hostLoggerFactory, deploymentId));
            // The hosting process owns signals and shutdown; the candidate stops when its host disposes it.
            builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
            builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
            // Kept out of the host's metrics, which would otherwise gain the labels of every app it ever hosted.
            builder.Services.AddSingleton<System.Diagnostics.Metrics.IMeterFactory, UnlistenedMeterFactory>();
        }
        else
        {
            builder.Logging.AddJsonConsole();
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }

        return builder;
    }

    /// <summary>
    /// Builds the app once its own services are registered, applying the context's test-only
    /// <see cref="TemplateAppContext.ConfigureServices"/> last so it can replace any of them.
    /// </summary>
    public static WebApplication Build(this WebApplicationBuilder builder, TemplateAppContext context)
    {
        context.ConfigureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Standard pipeline pieces: RFC 7807 bodies for exceptions and for empty 4xx/5xx responses.</summary>
    public static WebApplication UseCandidateDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary><c>ConnectionStrings__database</c> → <c>ConnectionStrings:database</c>, as the environment-variable provider maps them.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> ToConfigurationKeys(IReadOnlyDictionary<string, string> environment) =>
        environment.Select(variable => KeyValuePair.Create(
            variable.Key.Replace("__", ":", StringComparison.Ordinal),
            (string?)variable.Value));
}
