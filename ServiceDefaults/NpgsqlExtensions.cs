using HealthChecks.NpgSql;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Aspire.Npgsql's call site, built on Npgsql.DependencyInjection: reads
/// <c>ConnectionStrings__{name}</c>, registers an <see cref="NpgsqlDataSource"/>, a health check and telemetry.
/// </summary>
public static class NpgsqlExtensions
{
    public const string NpgsqlMeterName = "Npgsql";

    public static void AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName,
        Action<NpgsqlDataSourceBuilder>? configureDataSourceBuilder = null)
    {
        var connectionString = builder.Configuration.GetRequiredConnectionString(connectionName);

        builder.Services.AddNpgsqlDataSource(connectionString, dataSourceBuilder =>
        {
            // Commands outside any trace (the outbox relay's and the gauges' polling) would each start a trace of
            // their own every second and bury the ones people look for: only commands inside a trace are traced.
            dataSourceBuilder.ConfigureTracing(tracing => tracing
                .EnableFirstResponseEvent(false)
                .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null)
                .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is not null)
                .ConfigureCommandEnrichmentCallback((activity, _) => SqlPasswordRedaction.Redact(activity))
                .ConfigureBatchEnrichmentCallback((activity, _) => SqlPasswordRedaction.Redact(activity)));
            // The pool's label in metrics: the connection's name, not its connection string.
            dataSourceBuilder.Name = connectionName;
            configureDataSourceBuilder?.Invoke(dataSourceBuilder);
        });

        // Only where the service has a platform data source of its own, as Aspire.Npgsql does: the Simulator
        // hosts candidates' services, whose pools (one per deployment) would make the label set unbounded.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(NpgsqlMeterName));

        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            $"postgres-{connectionName}",
            services => new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(services.GetRequiredService<NpgsqlDataSource>())),
            failureStatus: null,
            tags: ["ready"]));
    }
}
