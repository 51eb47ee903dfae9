using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sdp.Simulator.Scenarios.DistributedCache;
using Sdp.Simulator.Scenarios.Engine;
using Sdp.Simulator.Scenarios.Messaging;
using Sdp.Simulator.Scenarios.Notifications;
using Sdp.Simulator.Scenarios.RateLimiter;
using Sdp.Simulator.Scenarios.UrlShortener;

namespace Sdp.Simulator.Scenarios;

public static class ScenarioExtensions
{
    /// <summary>The scenario engine and one scenario per problem type.</summary>
    public static IHostApplicationBuilder AddScenarios(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScenarioOptions>()
            .Bind(builder.Configuration.GetSection(ScenarioOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IScenario, UrlShortenerScenario>();
        builder.Services.AddSingleton<IScenario, RateLimiterScenario>();
        builder.Services.AddSingleton<IScenario, DistributedCacheScenario>();
        builder.Services.AddSingleton<IScenario, NotificationScenario>();
        builder.Services.AddSingleton<ScenarioCatalog>();
        builder.Services.AddSingleton<ScenarioRunner>();
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
