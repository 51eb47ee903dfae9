using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Templates.Dependencies;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.UrlShortener;

/// <summary>
/// The candidate-side URL shortener: <c>POST /api/urls</c>, <c>GET /{code}</c> (302), <c>GET /api/urls/{code}</c>,
/// <c>/health</c>. Short codes live in PostgreSQL, redirects are cached in Redis (cache-aside), clicks are
/// counted in memory and added to PostgreSQL in batches.
/// </summary>
public sealed class UrlShortenerApp : ITemplateApp
{
    private UrlShortenerApp()
    {
    }

    public static UrlShortenerApp Instance { get; } = new();

    public TemplateDescriptor Descriptor => UrlShortenerTemplate.Descriptor;

    /// <summary>Builds the app as a container runs it: listening on <c>PORT</c> (8080) and logging to the console.</summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string> environment) =>
        Instance.Build(TemplateAppContext.ForContainer(environment));

    public WebApplication Build(TemplateAppContext context)
    {
        var builder = CandidateWebApplication.CreateBuilder(context, typeof(UrlShortenerApp).Assembly.GetName().Name!);

        builder.Services.AddCandidateDataStores(builder.Configuration);
        builder.Services.Configure<JsonOptions>(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, UrlShortenerJsonContext.Default));
        builder.Services.AddSingleton<ShortUrlStore>();
        builder.Services.AddSingleton<ShortUrlCache>();
        builder.Services.AddSingleton<PendingClicks>();
        builder.Services.AddSingleton<ShortUrlService>();
        builder.Services.AddSingleton<IShortUrlService>(provider => provider.GetRequiredService<ShortUrlService>());
        builder.Services.AddHostedService<ClickFlusher>();

        var app = builder.Build(context);
        app.UseCandidateDefaults();
        app.MapCandidateHealthEndpoints();
        app.MapShortUrlEndpoints();
        return app;
    }
}
