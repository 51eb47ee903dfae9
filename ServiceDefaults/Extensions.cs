using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Sdp service shares, in the shape of .NET Aspire's ServiceDefaults template:
/// telemetry, health checks, service discovery and resilient HTTP clients.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string MetricsEndpointPath = "/metrics";
    public const string LiveTag = "live";
    private const string TraceParentHeader = "traceparent";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Polly logs every attempt of every resilient HttpClient call at Information; retries and failures still come
        // through as warnings.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddHostedService<MassTransitDurations>();
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MassTransitDurations.SourceMeterName)
                .AddMeter(MassTransitDurations.MeterName)
                .AddMeter(SdpTelemetry.MeterName)
                .AddPrometheusNamingViews()
                // Uncached: every scrape (Prometheus, the dashboard) sees the values as they are now.
                .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(SdpTelemetry.ActivitySourceName)
                .AddSource("MassTransit")
                .AddSource("Npgsql")
                .AddAspNetCoreInstrumentation(options =>
                    // Probes would drown the traces people look for; a probe sent as part of a trace (the
                    // provisioner waiting for a new service's first healthy answer) belongs to it and stays.
                    options.Filter = context => !IsProbePath(context.Request.Path)
                        || context.Request.Headers.ContainsKey(TraceParentHeader))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
            WithoutResilienceHandlers(builder.Services, OtlpExporterClientNames);
        }

        return builder;
    }

    /// <summary>The IHttpClientFactory clients the OTLP exporters send with, one per signal.</summary>
    private static readonly string[] OtlpExporterClientNames = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    /// <summary>
    /// Takes the standard resilience handler (which every client gets from ConfigureHttpClientDefaults) off the
    /// telemetry exporters' clients. The exporter has its own time limit, and a batch it cannot send is dropped; with
    /// retries, a service stopping together with the dashboard spent up to ten seconds per signal retrying the last
    /// batch and outlived the orchestrator's grace period. It also spares every export a pass through the pipeline.
    /// </summary>
    private static void WithoutResilienceHandlers(IServiceCollection services, IEnumerable<string> clientNames)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the supported opt-out.
        foreach (var name in clientNames)
        {
            services.AddHttpClient(name).RemoveAllResilienceHandlers();
        }
#pragma warning restore EXTEXP0001
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Probes and scrapers carry no credentials: these stay open in a service that requires keys elsewhere.
        // Degraded is not ready: MassTransit reports a bus whose consumer endpoints are still reconnecting (after a
        // broker restart, each on its own back-off) as Degraded, and a request sent to such a service waits unanswered.
        // /health runs every registered check, tagged or not: among them the untagged ones of Aspire's client
        // integrations ("PostgreSql", "StackExchange.Redis"). /alive runs only the "live" ones, so a service whose
        // database or Redis is down is not ready, but is not restarted for it either.
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        }).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint(MetricsEndpointPath).AllowAnonymous();
        return app;
    }

    private static bool IsProbePath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments(HealthEndpointPath)
        || path.StartsWithSegments(AlivenessEndpointPath)
        || path.StartsWithSegments(MetricsEndpointPath);
}
