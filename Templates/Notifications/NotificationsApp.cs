using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Templates.Dependencies;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.Notifications;

/// <summary>
/// The candidate-side notification system: notifications saved in PostgreSQL and queued on a Redis stream,
/// delivered by a background loop (a consumer group shared by instances) once and in order per user, published
/// on the user's Redis channel and streamed to clients as server-sent events; <c>/health</c>.
/// </summary>
public sealed class NotificationsApp : ITemplateApp
{
    private NotificationsApp()
    {
    }

    public static NotificationsApp Instance { get; } = new();

    public TemplateDescriptor Descriptor => NotificationsTemplate.Descriptor;

    /// <summary>Builds the app as a container runs it: listening on <c>PORT</c> (8080) and logging to the console.</summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string> environment) =>
        Instance.Build(TemplateAppContext.ForContainer(environment));

    public WebApplication Build(TemplateAppContext context)
    {
        var builder = CandidateWebApplication.CreateBuilder(context, typeof(NotificationsApp).Assembly.GetName().Name!);

        builder.Services.AddCandidateDataStores(builder.Configuration);
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, NotificationsJsonContext.Default);
        });
        builder.Services.AddSingleton(NotificationsOptions.From(builder.Configuration));
        builder.Services.AddFirstRequestSignal();
        builder.Services.AddSingleton<NotificationStore>();
        builder.Services.AddSingleton<NotificationQueue>();
        builder.Services.AddSingleton<NotificationPublisher>();
        builder.Services.AddSingleton<INotificationDelivery, OrderedNotificationDelivery>();
        builder.Services.AddHostedService<DeliveryWorker>();

        var app = builder.Build(context);
        app.UseFirstRequestSignal();
        app.UseCandidateDefaults();
        app.MapCandidateHealthEndpoints();
        app.MapNotificationEndpoints();
        return app;
    }
}
