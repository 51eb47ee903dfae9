using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Sdp.Templates.Dependencies;

/// <summary>
/// A template's PostgreSQL and Redis, from its environment only, and the health endpoints over them.
/// Nothing connects at start-up: the data source and the Redis connection open on first use.
/// </summary>
public static class CandidateDataStores
{
    /// <summary>How long a health probe waits for a dependency before calling it unhealthy.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static IServiceCollection AddCandidateDataStores(this IServiceCollection services, IConfiguration configuration)
    {
        var database = RequiredSetting(configuration, CandidateEnvironment.Database);
        var redis = RequiredSetting(configuration, CandidateEnvironment.Redis);
        var keyPrefix = RequiredSetting(configuration, CandidateEnvironment.RedisKeyPrefix);

        // Validate both now so a bad environment fails the start with a clear message, not the first request.
        var databaseSettings = new NpgsqlConnectionStringBuilder(database);
        var redisConnection = new RedisConnection(redis);

        // Factories run on first resolution, i.e. on the first request, not at start-up.
        services.AddSingleton(_ =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(databaseSettings.ConnectionString);
            // Templates use built-in types only; skipping the catalogue scan saves tens of milliseconds on the
            // first connection of every freshly deployed service.
            dataSource.ConfigureTypeLoading(typeLoading => typeLoading.EnableTypeLoading(false));
            return dataSource.Build();
        });
        // Through a factory, not as an instance: the container disposes only what it handed out from a factory, and a
        // stopped app must close its connection (in a shared host it would otherwise keep reconnecting for ever).
        services.AddSingleton(_ => redisConnection);
        services.AddSingleton(new RedisKeyspace(keyPrefix));

        services.AddExceptionHandler<StoreUnavailableExceptionHandler>();

        services.AddHealthChecks()
            .Add(new HealthCheckRegistration("postgres",
                provider => new PostgresHealthCheck(provider.GetRequiredService<NpgsqlDataSource>()),
                HealthStatus.Unhealthy, tags: null, ProbeTimeout))
            .Add(new HealthCheckRegistration("redis",
                provider => new RedisHealthCheck(provider.GetRequiredService<RedisConnection>()),
                HealthStatus.Unhealthy, tags: null, ProbeTimeout));

        return services;
    }

    /// <summary><c>/health</c>: 200 when PostgreSQL and Redis answer, 503 otherwise. <c>/alive</c>: 200 while the process serves.</summary>
    public static IEndpointRouteBuilder MapCandidateHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(CandidateHealthPaths.Health);
        endpoints.MapHealthChecks(CandidateHealthPaths.Alive, new HealthCheckOptions { Predicate = _ => false });
        return endpoints;
    }

    private static string RequiredSetting(IConfiguration configuration, string environmentVariable)
    {
        var value = configuration[environmentVariable.Replace("__", ":", StringComparison.Ordinal)];
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException($"The environment variable {environmentVariable} is not set.")
            : value;
    }
}
