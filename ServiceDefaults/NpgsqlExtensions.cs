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
    public static void AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName,
        Action<NpgsqlDataSourceBuilder>? configureDataSourceBuilder = null)
    {
        var connectionString = builder.Configuration.GetRequiredConnectionString(connectionName);

        builder.Services.AddNpgsqlDataSource(connectionString, dataSourceBuilder =>
        {
            dataSourceBuilder.ConfigureTracing(tracing => tracing.EnableFirstResponseEvent(false));
            configureDataSourceBuilder?.Invoke(dataSourceBuilder);
        });

        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            $"postgres-{connectionName}",
            services => new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(services.GetRequiredService<NpgsqlDataSource>())),
            failureStatus: null,
            tags: ["ready"]));
    }
}
