using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Templates.Dependencies;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.RateLimiter;

/// <summary>
/// The candidate-side rate limiter: rules (<c>/api/rules</c>) in PostgreSQL, <c>POST /api/check</c> against an
/// exact sliding window kept in Redis by one Lua script per check, <c>/health</c>.
/// </summary>
public sealed class RateLimiterApp : ITemplateApp
{
    private RateLimiterApp()
    {
    }

    public static RateLimiterApp Instance { get; } = new();

    public TemplateDescriptor Descriptor => RateLimiterTemplate.Descriptor;

    /// <summary>Builds the app as a container runs it: listening on <c>PORT</c> (8080) and logging to the console.</summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string> environment) =>
        Instance.Build(TemplateAppContext.ForContainer(environment));

    public WebApplication Build(TemplateAppContext context)
    {
        var builder = CandidateWebApplication.CreateBuilder(context, typeof(RateLimiterApp).Assembly.GetName().Name!);

        builder.Services.AddCandidateDataStores(builder.Configuration);
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, RateLimiterJsonContext.Default);
        });
        builder.Services.AddSingleton(RateLimiterOptions.From(builder.Configuration));
        builder.Services.AddSingleton<RuleStore>();
        builder.Services.AddSingleton<RuleCache>();
        builder.Services.AddSingleton<IRateLimiter, SlidingWindowLimiter>();

        var app = builder.Build(context);
        app.UseCandidateDefaults();
        app.MapCandidateHealthEndpoints();
        app.MapRuleEndpoints();
        app.MapCheckEndpoints();
        return app;
    }
}
