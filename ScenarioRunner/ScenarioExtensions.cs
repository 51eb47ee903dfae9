using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sdp.ScenarioRunner.DistributedCache;
using Sdp.ScenarioRunner.Engine;
using Sdp.ScenarioRunner.Invocation;
using Sdp.ScenarioRunner.Messaging;
using Sdp.ScenarioRunner.Notifications;
using Sdp.ScenarioRunner.RateLimiter;
using Sdp.ScenarioRunner.UrlShortener;

namespace Sdp.ScenarioRunner;

public static class ScenarioExtensions
{
    /// <summary>The scenario engine, one scenario per problem type, and the runner's identity towards candidate services.</summary>
    public static IHostApplicationBuilder AddScenarios(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScenarioOptions>()
            .Bind(builder.Configuration.GetSection(ScenarioOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IIdTokenSource, GoogleIdTokenSource>();
        builder.Services.AddSingleton<IScenario, UrlShortenerScenario>();
        builder.Services.AddSingleton<IScenario, RateLimiterScenario>();
        builder.Services.AddSingleton<IScenario, DistributedCacheScenario>();
        builder.Services.AddSingleton<IScenario, NotificationScenario>();
        builder.Services.AddSingleton<ScenarioCatalog>();
        builder.Services.AddSingleton<ScenarioEngine>();
        builder.Services.AddSingleton<RecentScenarioRuns>();
        return builder;
    }

    /// <summary>Consumes <c>ScenarioRunRequested</c>; pass to <c>AddMessaging</c>.</summary>
    public static IBusRegistrationConfigurator AddScenarioConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ScenarioRunRequestedConsumer>(typeof(ScenarioRunRequestedConsumerDefinition));
        return bus;
    }
}
