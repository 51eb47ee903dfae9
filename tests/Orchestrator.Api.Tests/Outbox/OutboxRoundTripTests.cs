using System.Diagnostics;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Deployments;
using Sdp.Orchestrator.Api.Outbox;

namespace Sdp.Orchestrator.Api.Tests.Outbox;

/// <summary>What the stores write to the outbox is what the relay reads back: the contract, field for field.</summary>
public sealed class OutboxRoundTripTests
{
    private static readonly DateTimeOffset RequestedAt = new(2026, 12, 2, 8, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public void A_deployment_request_with_settings_reads_back_as_the_same_contract()
    {
        var sent = new DeploymentRequested(42, "rate_limiter", RequestedAt,
            new Dictionary<string, string> { ["RATE_LIMITER_DEFAULT_LIMIT"] = "20" });

        var entry = OutboxEntry.From(sent);
        var read = Assert.IsType<DeploymentRequested>(OutboxSerializer.Deserialize(entry.MessageType, entry.Payload));

        Assert.Equal(nameof(DeploymentRequested), entry.MessageType);
        AssertSame(sent, read);
    }

    [Fact]
    public void A_deployment_request_built_from_a_row_reads_back_with_the_rows_settings()
    {
        var sent = DeploymentRequests.From(7, "distributed_cache", RequestedAt, """{"CACHE_MAX_TTL_SECONDS": "60"}""");

        var entry = OutboxEntry.From(sent);
        var read = Assert.IsType<DeploymentRequested>(OutboxSerializer.Deserialize(entry.MessageType, entry.Payload));

        AssertSame(sent, read);
        Assert.Equal("60", read.Settings!["CACHE_MAX_TTL_SECONDS"]);
    }

    [Fact]
    public void A_standby_slots_request_carries_its_id_template_and_request_time_as_utc()
    {
        var slot = new Sdp.Orchestrator.Api.Standby.SlotRequest(99, "url_shortener", "{}", new DateTime(2026, 12, 2, 8, 30, 15, DateTimeKind.Unspecified));

        var entry = slot.Message();
        var read = Assert.IsType<DeploymentRequested>(OutboxSerializer.Deserialize(entry.MessageType, entry.Payload));

        Assert.Equal(99, read.DeploymentId);
        Assert.Equal("url_shortener", read.ProblemType);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 8, 30, 15, TimeSpan.Zero), read.RequestedAt);
        Assert.Empty(read.Settings!);
    }

    [Fact]
    public void A_cleanup_request_reads_back_as_the_same_contract()
    {
        var sent = new CleanupRequested(5, RequestedAt);

        var entry = OutboxEntry.From(sent);

        Assert.Equal(sent, OutboxSerializer.Deserialize(entry.MessageType, entry.Payload));
    }

    [Fact]
    public void A_scenario_run_request_reads_back_as_the_same_contract()
    {
        var sent = new ScenarioRunRequested(3, 5, "url_shortener", "http://127.0.0.1:41234", new ScenarioLoad(100, 10, 8),
            RequestedAt);

        var entry = OutboxEntry.From(sent);

        Assert.Equal(sent, OutboxSerializer.Deserialize(entry.MessageType, entry.Payload));
    }

    [Fact]
    public void A_row_saved_by_the_earlier_database_built_payload_still_reads_as_a_deployment_request()
    {
        // What PostgreSQL's jsonb_build_object wrote before the stores serialized the contract: jsonb's key order and
        // its timestamp form. Unpublished rows of that shape may still be in the outbox after an upgrade.
        const string saved = """
            {"Settings": {}, "ProblemType": "url_shortener", "RequestedAt": "2026-12-02T08:30:15.123456+00:00", "DeploymentId": 11}
            """;

        var read = Assert.IsType<DeploymentRequested>(OutboxSerializer.Deserialize(nameof(DeploymentRequested), saved));

        Assert.Equal(11, read.DeploymentId);
        Assert.Equal("url_shortener", read.ProblemType);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 8, 30, 15, TimeSpan.Zero).AddTicks(1_234_560), read.RequestedAt);
        Assert.Empty(read.Settings!);
    }

    [Fact]
    public void A_type_the_relay_could_not_read_back_is_refused_when_saved()
    {
        Assert.Throws<ArgumentException>(() => OutboxEntry.From(new DeploymentFailed(1, "no", RequestedAt)));
    }

    [Fact]
    public void A_row_of_an_unknown_message_type_is_refused_when_read()
    {
        Assert.Throws<ArgumentException>(() => OutboxSerializer.Deserialize("DeploymentFailed", "{}"));
    }

    [Fact]
    public void Every_type_the_outbox_carries_is_a_shared_contract()
    {
        Assert.All(OutboxSerializer.Types, type => Assert.Equal(typeof(DeploymentRequested).Assembly, type.Assembly));
        Assert.Equal(3, OutboxSerializer.Types.Count);
    }

    [Fact]
    public void An_entry_made_inside_a_trace_carries_that_trace_and_one_made_outside_carries_none()
    {
        Assert.Null(Activity.Current);
        Assert.Null(OutboxEntry.From(new CleanupRequested(1, RequestedAt)).Traceparent);

        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var traced = OutboxEntry.From(new CleanupRequested(1, RequestedAt));

        Assert.Equal(activity.Id, traced.Traceparent);
        Assert.Equal(new OutboxMessage(8, traced.MessageType, traced.Payload, activity.Id), traced.Saved(8));
    }

    private static void AssertSame(DeploymentRequested sent, DeploymentRequested read)
    {
        Assert.Equal(sent.DeploymentId, read.DeploymentId);
        Assert.Equal(sent.ProblemType, read.ProblemType);
        Assert.Equal(sent.RequestedAt, read.RequestedAt);
        Assert.Equal(sent.Settings!.OrderBy(s => s.Key), read.Settings!.OrderBy(s => s.Key));
    }
}
