using System.Text;
using Sdp.Contracts;
using Sdp.ScenarioRunner.Notifications;

namespace Sdp.ScenarioRunner.Tests.Engine;

/// <summary>
/// The notification scenario's stream handling against an in-memory implementation of the contract (the real
/// template's run is in the template tests): it passes a correct one and names duplicated deliveries.
/// </summary>
public sealed class NotificationScenarioTests
{
    [Fact]
    public async Task A_correct_implementation_passes()
    {
        var api = new InMemoryNotificationApi();
        await using var server = await LoopbackApp.StartAsync(api.Map);

        var report = await Runners.Create(scenarios: new NotificationScenario())
            .RunAsync("notification_system", server.Url.ToString(), new ScenarioLoad(20, 1, 2), new RecordingProgress(), CancellationToken.None);

        Assert.True(report.Outcome == ScenarioReport.Passed, string.Join("; ", report.Checks.Select(c => $"{c.Name}: {c.Detail}")));
        Assert.Equal(0, report.Load!.Errors);
    }

    [Fact]
    public async Task A_stream_that_delivers_twice_fails_the_exactly_once_check()
    {
        var api = new InMemoryNotificationApi { DuplicateEvery = 3 };
        await using var server = await LoopbackApp.StartAsync(api.Map);

        var report = await Runners.Create(scenarios: new NotificationScenario())
            .RunAsync("notification_system", server.Url.ToString(), new ScenarioLoad(20, 1, 2), new RecordingProgress(), CancellationToken.None);

        var stream = report.Checks.Single(c => c.Name == "stream_delivers_each_once_in_order");
        Assert.False(stream.Passed);
        Assert.Contains("delivered more than once", stream.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_sent_events_are_read_as_the_standard_defines_them()
    {
        var text = ": comment\n\nid: 1\nevent: notification\ndata: {\"a\":1}\n\ndata: line one\ndata: line two\n\nevent: other\ndata:x\n\nid: 9\n\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var events = new List<ServerSentEvent>();
        await foreach (var item in ServerSentEventReader.ReadAsync(stream, CancellationToken.None))
        {
            events.Add(item);
        }

        Assert.Equal(
        [
            new ServerSentEvent("1", "notification", "{\"a\":1}"),
            new ServerSentEvent(null, "message", "line one\nline two"),
            new ServerSentEvent(null, "other", "x"),
        ], events);
    }
}
