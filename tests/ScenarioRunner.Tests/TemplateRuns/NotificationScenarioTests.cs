using Microsoft.Extensions.DependencyInjection;
using Sdp.Templates.Notifications;
using Sdp.Templates.Tests.Infrastructure;

namespace Sdp.ScenarioRunner.Tests.TemplateRuns;

/// <summary>The notification_system scenario passes against the real template and names the fault of a broken one.</summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class NotificationScenarioTests(CandidateStores stores)
{
    [Fact]
    public async Task The_template_passes_every_check_and_its_load()
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor);

        var report = await ScenarioRuns.RunAsync("notification_system", app.Url);

        ScenarioRuns.AssertPassed(report);
        Assert.Equal(["invalid_notifications_rejected", "stream_delivers_each_once_in_order", "status_becomes_delivered", "list_in_sequence_order"],
            report.Checks.Select(check => check.Name));
    }

    [Fact]
    public async Task A_system_whose_delivery_never_happens_fails_the_stream_and_status_checks()
    {
        await using var app = await stores.StartAsync(NotificationsTemplate.Descriptor, configureServices: services =>
            services.AddSingleton<INotificationDelivery>(new LosingDelivery()));

        var report = await ScenarioRuns.RunAsync("notification_system", app.Url);

        ScenarioRuns.AssertFailed(report, "stream_delivers_each_once_in_order", "missing");
        ScenarioRuns.AssertFailed(report, "status_becomes_delivered", "expected status 'delivered' within 10 s");
    }

    /// <summary>
    /// Takes notifications off the queue and never delivers them. (Losing only some would not do: delivering one
    /// notification delivers every earlier one of its user, so the template heals a single skipped delivery.)
    /// </summary>
    private sealed class LosingDelivery : INotificationDelivery
    {
        public Task DeliverAsync(long notificationId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
