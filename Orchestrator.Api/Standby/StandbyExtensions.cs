using Microsoft.Extensions.Options;

namespace Sdp.Orchestrator.Api.Standby;

public static class StandbyExtensions
{
    /// <summary>Standby pools: slots built ahead of demand and the refiller that keeps them at size.</summary>
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
        return builder;
    }
}
