using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one place MassTransit over RabbitMQ is configured. Every service calls
/// <c>builder.AddMessaging("messaging", x =&gt; x.AddConsumer&lt;...&gt;())</c>.
/// </summary>
public static class MessagingExtensions
{
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, string connectionName,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        var connectionString = builder.Configuration.GetRequiredConnectionString(connectionName);

        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            configureConsumers?.Invoke(x);

            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(connectionString));
                // Short transient faults only: retries hold the message in memory.
                cfg.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(100),
                    TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
                cfg.ConfigureEndpoints(context);
            });
        });

        return builder;
    }
}
