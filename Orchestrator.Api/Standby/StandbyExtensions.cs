using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sdp.Templates.Catalog;

namespace Sdp.Orchestrator.Api.Standby;

public static class StandbyExtensions
{
    /// <summary>
    /// Standby pools: slots built ahead of demand, the refiller that keeps them at size, the claim that hands out only
    /// slots that answer, and the prober that finds silent and dead ones.
    /// </summary>
    public static IHostApplicationBuilder AddStandbyPools(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StandbyOptions>()
            .Bind(builder.Configuration.GetSection(StandbyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StandbyOptions>, StandbyOptionsValidator>();
        builder.Services.AddSingleton<StandbyStore>();
        builder.Services.AddSingleton<StandbyRefiller>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StandbyRefiller>());
        builder.Services.AddHostedService<StandbySlotGauge>();

        // One answer or none, at once: the standard resilience handler would retry a dead slot and hold the claim for
        // seconds, when the next slot or a build on request is the better answer.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the supported opt-out.
        builder.Services.AddHttpClient(StandbySlotProbe.ClientName)
            .RemoveAllResilienceHandlers()
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                // Out of the http.client metrics, whose labels would name every candidate service.
                MeterFactory = services.GetRequiredService<UnlistenedMeterFactory>(),
                // The default idle timeout (a minute) outlasts the prober's pause (30 s by default): a claim usually
                // finds a connection to its slot open already, and its probe costs one loopback round trip.
            });
#pragma warning restore EXTEXP0001
        builder.Services.TryAddSingleton<UnlistenedMeterFactory>();
        builder.Services.AddSingleton<StandbySlotProbe>();
        builder.Services.AddSingleton<StandbyClaim>();
        builder.Services.AddSingleton<StandbySlotHealthStore>();
        builder.Services.AddHostedService<StandbySlotProber>();
        return builder;
    }
}
