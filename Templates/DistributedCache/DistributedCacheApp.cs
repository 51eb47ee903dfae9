using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Templates.Dependencies;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.DistributedCache;

/// <summary>
/// The candidate-side distributed cache: <c>PUT|GET|DELETE /api/cache/{key}</c> written through to PostgreSQL
/// and Redis, read from Redis or through to PostgreSQL, <c>/api/stats</c>, <c>/health</c>.
/// </summary>
public sealed class DistributedCacheApp : ITemplateApp
{
    /// <summary>A 1 MiB value can take up to six times that as escaped JSON.</summary>
    private const long MaxRequestBodyBytes = 7 * 1024 * 1024;

    private DistributedCacheApp()
    {
    }

    public static DistributedCacheApp Instance { get; } = new();

    public TemplateDescriptor Descriptor => DistributedCacheTemplate.Descriptor;

    /// <summary>Builds the app as a container runs it: listening on <c>PORT</c> (8080) and logging to the console.</summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string> environment) =>
        Instance.Build(TemplateAppContext.ForContainer(environment));

    public WebApplication Build(TemplateAppContext context)
    {
        var builder = CandidateWebApplication.CreateBuilder(context, typeof(DistributedCacheApp).Assembly.GetName().Name!);
        // Values reach 1 MiB, past the templates' usual request limit.
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        builder.Services.AddCandidateDataStores(builder.Configuration);
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, DistributedCacheJsonContext.Default);
        });
        builder.Services.AddSingleton(DistributedCacheOptions.From(builder.Configuration));
        builder.Services.AddFirstRequestSignal();
        builder.Services.AddSingleton<CacheEntryStore>();
        builder.Services.AddSingleton<CacheEntryMirror>();
        builder.Services.AddSingleton<CacheStatistics>();
        builder.Services.AddSingleton<ICacheService, WriteThroughCacheService>();
        builder.Services.AddHostedService<ExpiredEntrySweeper>();

        var app = builder.Build(context);
        app.UseFirstRequestSignal();
        app.UseCandidateDefaults();
        app.MapCandidateHealthEndpoints();
        app.MapCacheEndpoints();
        return app;
    }
}
