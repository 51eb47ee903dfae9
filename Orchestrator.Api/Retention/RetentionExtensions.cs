namespace Sdp.Orchestrator.Api.Retention;

public static class RetentionExtensions
{
    /// <summary>The retention options (validated at start-up) and the scheduled purge.</summary>
    public static IHostApplicationBuilder AddRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>()
            .Bind(builder.Configuration.GetSection(RetentionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RetentionMetrics>();
        builder.Services.AddSingleton<RetentionPurge>();
        builder.Services.AddHostedService<RetentionScheduler>();
        return builder;
    }
}
