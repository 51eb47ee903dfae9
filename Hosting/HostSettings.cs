using Microsoft.Extensions.Configuration;
using Sdp.Hosting.Processes;

namespace Sdp.Hosting;

/// <summary>The host's own settings, read from configuration (AppHost appsettings.json, environment, arguments).</summary>
internal sealed record HostSettings
{
    /// <summary>Where data, passwords, pid files and logs live; default <c>.sdp/</c> at the repository root.</summary>
    public required string StateDirectory { get; init; }

    public string PostgresBinDirectory { get; init; } = "/usr/lib/postgresql/15/bin";

    public string RedisBinDirectory { get; init; } = "/usr/bin";

    public string RabbitMQBinDirectory { get; init; } = "/usr/lib/rabbitmq/bin";

    /// <summary>Where <c>erl</c> and <c>epmd</c> are.</summary>
    public string ErlangBinDirectory { get; init; } = "/usr/bin";

    /// <summary>0 picks a free port.</summary>
    public int DashboardPort { get; init; } = 18888;

    /// <summary>The whole stop, every resource included.</summary>
    /// <summary>OTLP/HTTP, as Aspire's dashboard (18890); a free port when the dashboard's port is 0.</summary>
    public int OtlpHttpPort { get; init; } = 18890;

    /// <summary>Whether the host collects the services' telemetry over OTLP (and so sets OTEL_EXPORTER_OTLP_*).</summary>
    public bool CollectTelemetry { get; init; } = true;

    /// <summary>The project whose <c>GET /api/deployments</c> feeds the dashboard's live deployments view.</summary>
    public string DeploymentsResource { get; init; } = "orchestrator-api";

    /// <summary>
    /// An API key the live deployments view sends to that project as <c>Authorization: Bearer {key}</c>; none when
    /// empty. A secret: never logged, and kept out of this record's printed form.
    /// </summary>
    public string DeploymentsApiKey { get; init; } = "";

    /// <summary>Start Prometheus (when its binary is installed) to scrape every project and evaluate the alert rules.</summary>
    public bool PrometheusEnabled { get; init; } = true;

    public string PrometheusBinary { get; init; } = "/usr/bin/prometheus";

    /// <summary>9090 as usual; a free port when the dashboard's port is 0.</summary>
    public int PrometheusPort { get; init; } = 9090;

    /// <summary>The alert rules Prometheus loads; none when the file does not exist.</summary>
    public string PrometheusRulesFile { get; init; } = "";

    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>PostgreSQL refuses to run as root, and RabbitMQ expects its own user: as root, run them as those users.</summary>
    public bool RunServersAsServiceUsers { get; init; } = NativeMethods.IsRoot;

    public static HostSettings From(IConfiguration configuration, string appHostDirectory)
    {
        var defaults = new HostSettings { StateDirectory = "" };
        var stateDirectory = ResolveStateDirectory(configuration, appHostDirectory);
        var dashboardPort = configuration.GetValue("Dashboard:Port", defaults.DashboardPort);
        return new HostSettings
        {
            StateDirectory = stateDirectory,
            PostgresBinDirectory = configuration["Sdp:PostgresBinDirectory"] ?? defaults.PostgresBinDirectory,
            RedisBinDirectory = configuration["Sdp:RedisBinDirectory"] ?? defaults.RedisBinDirectory,
            RabbitMQBinDirectory = configuration["Sdp:RabbitMQBinDirectory"] ?? defaults.RabbitMQBinDirectory,
            ErlangBinDirectory = configuration["Sdp:ErlangBinDirectory"] ?? defaults.ErlangBinDirectory,
            DashboardPort = dashboardPort,
            OtlpHttpPort = configuration.GetValue("Dashboard:OtlpHttpPort", dashboardPort == 0 ? 0 : defaults.OtlpHttpPort),
            CollectTelemetry = configuration.GetValue("Dashboard:CollectTelemetry", defaults.CollectTelemetry),
            DeploymentsResource = configuration["Dashboard:DeploymentsResource"] ?? defaults.DeploymentsResource,
            DeploymentsApiKey = configuration["Dashboard:DeploymentsApiKey"] ?? defaults.DeploymentsApiKey,
            PrometheusEnabled = configuration.GetValue("Prometheus:Enabled", defaults.PrometheusEnabled),
            PrometheusBinary = configuration["Prometheus:Binary"] ?? defaults.PrometheusBinary,
            PrometheusPort = configuration.GetValue("Prometheus:Port", dashboardPort == 0 ? 0 : defaults.PrometheusPort),
            PrometheusRulesFile = configuration["Prometheus:RulesFile"]
                ?? Path.Combine(FindRepositoryRoot(appHostDirectory), "deploy", "prometheus", "sdp-alerts.yml"),
            ShutdownTimeout = TimeSpan.FromSeconds(configuration.GetValue("Sdp:ShutdownTimeoutSeconds", defaults.ShutdownTimeout.TotalSeconds)),
        };
    }

    /// <summary><c>Sdp:StateDirectory</c> as a full path, else <c>.sdp/</c> at the repository root.</summary>
    internal static string ResolveStateDirectory(IConfiguration configuration, string appHostDirectory) =>
        configuration["Sdp:StateDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(FindRepositoryRoot(appHostDirectory), ".sdp");

    // A record prints every property: leave the secret out.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("StateDirectory = ").Append(StateDirectory)
            .Append(", DeploymentsResource = ").Append(DeploymentsResource)
            .Append(", DeploymentsApiKey = ").Append(DeploymentsApiKey.Length == 0 ? "(none)" : "(set)");
        return true;
    }

    /// <summary>The directory holding Sdp.sln, walking up from the AppHost project; the AppHost directory if none.</summary>
    internal static string FindRepositoryRoot(string appHostDirectory)
    {
        for (var directory = new DirectoryInfo(appHostDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sdp.sln")))
            {
                return directory.FullName;
            }
        }

        return appHostDirectory;
    }
}
