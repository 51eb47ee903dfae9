using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The platform's own PostgreSQL and Redis clients: Aspire's client integrations (Aspire.Npgsql and
/// Aspire.StackExchange.Redis, which read <c>ConnectionStrings:{name}</c> and the <c>Aspire:Npgsql</c> and
/// <c>Aspire:StackExchange:Redis</c> sections, and add the health check, traces and metrics), plus what Sdp needs
/// on top of them.
/// </summary>
/// <remarks>
/// These overloads take only the builder and the connection name, so <c>builder.AddNpgsqlDataSource("sdpdb")</c> and
/// <c>builder.AddRedisClient("redis")</c> bind to them rather than to Aspire's overloads: C# prefers an overload that
/// needs no default arguments. A call that passes Aspire's own delegates goes straight to Aspire and gets none of the
/// settings below.
/// </remarks>
public static class PlatformClientExtensions
{
    /// <summary>How many statements each pooled connection of the platform's data source keeps prepared.</summary>
    public const int AutoPreparedStatements = 32;

    private const string NpgsqlConfigSection = "Aspire:Npgsql";
    private const string RedisConfigSection = "Aspire:StackExchange:Redis";

    /// <summary>
    /// Registers the singleton <see cref="NpgsqlDataSource"/> for <c>ConnectionStrings:{connectionName}</c> through
    /// Aspire.Npgsql. Health check "PostgreSql" (untagged, so counted by <c>/health</c> and not by <c>/alive</c>),
    /// the "Npgsql" activity source and meter.
    /// </summary>
    public static void AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName) =>
        AspirePostgreSqlNpgsqlExtensions.AddNpgsqlDataSource(builder, connectionName,
            settings => RequireConnectionString(settings.ConnectionString, connectionName, NpgsqlConfigSection),
            dataSourceBuilder => ConfigurePlatformDataSource(dataSourceBuilder, connectionName));

    /// <summary>
    /// Registers one shared <see cref="IConnectionMultiplexer"/> for
    /// <c>ConnectionStrings:{connectionName}</c> through Aspire.StackExchange.Redis, connected on first use. Health
    /// check "StackExchange.Redis" (untagged, so counted by <c>/health</c> and not by <c>/alive</c>) and Redis traces
    /// (one span per command, named after it; its arguments, such as an ACL SETUSER's password, are not recorded).
    /// </summary>
    public static void AddRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        AspireRedisExtensions.AddRedisClient(builder, connectionName,
            settings => RequireConnectionString(settings.ConnectionString, connectionName, RedisConfigSection),
            // Services must start (and answer /alive) before Redis does: the multiplexer keeps retrying in the
            // background instead of failing its first connect. Aspire's default is already false, but a connection
            // string's abortConnect=true (or a provider-specific default) would turn it back on.
            options => options.AbortOnConnectFail = false);

        // The multiplexer is created on first use, often inside a deployment's trace. Its background threads (and
        // those of the Redis trace instrumentation, which parent a command issued outside any trace to whatever
        // activity was current on them) inherit the creating code's execution context: without this, such commands'
        // spans and the multiplexer's own logs would join the trace that happened to connect first.
        var registration = builder.Services.LastOrDefault(d => d.ServiceType == typeof(IConnectionMultiplexer) && !d.IsKeyedService);
        var create = registration?.ImplementationFactory
            ?? throw new InvalidOperationException("Aspire.StackExchange.Redis registered no IConnectionMultiplexer factory.");
        builder.Services.Remove(registration);
        builder.Services.AddSingleton(services =>
        {
            var current = Activity.Current;
            Activity.Current = null;
            try
            {
                return (IConnectionMultiplexer)create(services);
            }
            finally
            {
                Activity.Current = current;
            }
        });
    }

    private static void ConfigurePlatformDataSource(NpgsqlDataSourceBuilder dataSourceBuilder, string connectionName)
    {
        // Aspire.Npgsql adds Npgsql's "Npgsql" activity source to the tracer, which traces every command of every data
        // source; what a data source reports is decided here, on the data source itself, so these settings hold.
        // Commands outside any trace (the outbox relay's and the gauges' polling) would each start a trace of their
        // own every second and bury the ones people look for: only commands inside a trace are traced.
        dataSourceBuilder.ConfigureTracing(tracing => tracing
            .EnableFirstResponseEvent(false)
            .ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null)
            // CREATE ROLE … PASSWORD '…' takes no parameters: its literal would otherwise land in the span.
            .ConfigureCommandEnrichmentCallback((activity, _) => SqlPasswordRedaction.Redact(activity))
            .ConfigureBatchEnrichmentCallback((activity, _) => SqlPasswordRedaction.Redact(activity)));
        // The platform sends the same few dozen statements all day: prepared once per pooled connection (after a few
        // uses) they are no longer parsed and planned by PostgreSQL each time; Npgsql keeps them across the pool's resets.
        // A pooler in transaction mode must then pass prepared statements on (PgBouncer's max_prepared_statements).
        // A connection string that sets Max Auto Prepare keeps its value (0 turns it off).
        if (!SetsMaxAutoPrepare(dataSourceBuilder.ConnectionString))
        {
            dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
        }

        // The pool's label in the "Npgsql" metrics: the connection's name, not its connection string (which holds
        // the password).
        dataSourceBuilder.Name = connectionName;
    }

    /// <summary>Whether the connection string names Max Auto Prepare (spelt with spaces or without, in any case).</summary>
    private static bool SetsMaxAutoPrepare(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Aspire checks the connection string only when the client is first resolved, which for a lazily created
    /// client can be long after start (or never, in a service that is not asked for work): fail the start instead,
    /// with Aspire's own message.
    /// </summary>
    private static void RequireConnectionString(string? connectionString, string connectionName, string configSection)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionString is missing. It should be provided in 'ConnectionStrings:{connectionName}' or under the " +
                $"'ConnectionString' key in '{configSection}' configuration section.");
        }
    }
}
