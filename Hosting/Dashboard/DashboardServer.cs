using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Hosting.Telemetry;

namespace Sdp.Hosting.Dashboard;

/// <summary>
/// The dashboard, served by Kestrel from the host process on 127.0.0.1:
/// <list type="bullet">
/// <item><c>GET /</c>: one HTML page, inline script, no external assets; it polls the two endpoints below.</item>
/// <item><c>GET /api/resources</c>: a JSON array, snake_case, one object per resource: <c>name</c>, <c>type</c>,
/// <c>state</c> (Aspire's states), <c>health</c> (<c>Healthy</c>, <c>Unhealthy</c> or null when unknown),
/// <c>endpoints</c> (URLs), <c>restart_count</c>, <c>start_time</c> (ISO 8601 or null), <c>pid</c> (or null),
/// <c>exit_code</c> and <c>detail</c> (why it failed, or null).</item>
/// <item><c>GET /api/resources/{name}/logs?after=N</c>: the kept console lines (the last 1,000), each
/// <c>{ sequence, timestamp, stream: "stdout"|"stderr", text }</c>, only those with a sequence above N if given;
/// 404 for an unknown resource.</item>
/// <item>Traces, structured logs and charts from the telemetry the services send over OTLP: see
/// <see cref="TelemetryApiEndpoints"/>; OTLP itself on a port of its own (<see cref="OtlpEndpoints"/>).</item>
/// <item><c>GET /api/deployments</c>: the newest deployments as the Orchestrator's API reports them (the page's live
/// view; the page cannot call that API itself, being on another origin), sent with <c>Dashboard:DeploymentsApiKey</c>
/// as a bearer token when set; 503 while it is not running.</item>
/// </list>
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri url, Uri? otlpUrl)
    {
        _app = app;
        Url = url;
        OtlpUrl = otlpUrl;
    }

    public Uri Url { get; }

    /// <summary>Where services send OTLP/HTTP, or null when the host does not collect telemetry.</summary>
    public Uri? OtlpUrl { get; }

    public static async Task<DashboardServer> StartAsync(HostSettings settings, ResourceNotificationService notifications,
        ResourceLogs logs, TelemetryStore? telemetry, HttpClient http, CancellationToken cancellationToken)
    {
        var port = settings.DashboardPort;
        // The empty builder reads no configuration and no environment: nothing from the AppHost's settings
        // (ASPNETCORE_URLS, say) can move it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, port);
            if (telemetry is not null)
            {
                options.Listen(IPAddress.Loopback, settings.OtlpHttpPort);
            }
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        int? otlpPort = null;

        var page = ReadPage();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/api/resources", () => Results.Json(notifications.GetSnapshots().Select(ToJson), JsonOptions));
        app.MapGet("/api/resources/{name}/logs", (string name, long? after) => logs.Contains(name)
            ? Results.Json(logs.GetLines(name, after ?? 0).Select(l => new LogLineJson(
                l.Sequence, l.Timestamp, l.IsError ? "stderr" : "stdout", l.Text)), JsonOptions)
            : Results.NotFound());
        app.MapGet("/api/deployments", (int? limit, CancellationToken ct) =>
            LiveDeployments.GetAsync(notifications, settings.DeploymentsResource, settings.DeploymentsApiKey, http, Math.Clamp(limit ?? 50, 1, 200), ct));
        if (telemetry is not null)
        {
            app.MapTelemetryApi(telemetry, JsonOptions);
            app.MapOtlpEndpoints(telemetry, () => otlpPort);
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new DistributedApplicationException(
                $"The dashboard cannot listen on 127.0.0.1:{port} ({e.Message}). Is another AppHost running? "
                + "--Dashboard:Port=0 picks a free port.", innerException: e);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).ToList();
        Uri? otlpUrl = null;
        if (telemetry is not null)
        {
            // Kestrel lists its listeners in the order configured: the page first, then OTLP.
            otlpUrl = addresses[1];
            otlpPort = otlpUrl.Port;
        }

        return new DashboardServer(app, addresses[0], otlpUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    internal static ResourceJson ToJson(ResourceSnapshot s) => new(
        s.Name, s.Type, s.State, s.Health?.ToString(), [.. s.Endpoints.Select(e => e.ToString().TrimEnd('/'))],
        s.RestartCount, s.StartTime, s.ProcessId, s.ExitCode, s.Detail);

    private static string ReadPage()
    {
        using var stream = typeof(DashboardServer).Assembly.GetManifestResourceStream("Sdp.Hosting.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("The dashboard page is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal sealed record ResourceJson(string Name, string Type, string State, string? Health, IReadOnlyList<string> Endpoints,
        int RestartCount, DateTimeOffset? StartTime, int? Pid, int? ExitCode, string? Detail);

    internal sealed record LogLineJson(long Sequence, DateTimeOffset Timestamp, string Stream, string Text);
}
