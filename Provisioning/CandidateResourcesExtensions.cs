using Microsoft.Extensions.DependencyInjection;
using Sdp.Provisioning.Candidates;

namespace Microsoft.Extensions.Hosting;

public static class CandidateResourcesExtensions
{
    /// <summary>
    /// Candidate isolation in the shared PostgreSQL and Redis, and their teardown. Needs an NpgsqlDataSource
    /// (<c>AddNpgsqlDataSource</c>), an IConnectionMultiplexer (<c>AddRedisClient</c>) and an IDeploymentTarget.
    /// </summary>
    public static IHostApplicationBuilder AddCandidateResources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CandidateDatabaseOptions>()
            .Bind(builder.Configuration.GetSection(CandidateDatabaseOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<CandidateRedisOptions>()
            .Bind(builder.Configuration.GetSection(CandidateRedisOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<CandidateDatabase>();
        builder.Services.AddSingleton<CandidateRedis>();
        builder.Services.AddSingleton<CandidateTeardown>();
        return builder;
    }
}
