using Sdp.Contracts;
using Sdp.Orchestrator.Api.Outbox;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Orchestrator.Api.Tests.Outbox;

/// <summary>A custom deployment's spec travels through the outbox whole: what the provisioner and the runner read is what was sent.</summary>
public sealed class ServiceSpecRoundTripTests
{
    private static readonly DateTimeOffset RequestedAt = new(2026, 12, 2, 8, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public void A_custom_deployment_request_reads_back_with_its_spec_field_for_field()
    {
        var sent = new DeploymentRequested(42, "custom", RequestedAt, ServiceSpec: ServiceSpecExamples.ChatSystem);

        var entry = OutboxEntry.From(sent);
        var read = Assert.IsType<DeploymentRequested>(OutboxSerializer.Deserialize(entry.MessageType, entry.Payload));

        Assert.Equal("custom", read.ProblemType);
        Assert.Equal(ServiceSpecJson.Serialize(ServiceSpecExamples.ChatSystem), ServiceSpecJson.Serialize(read.ServiceSpec!));
    }

    [Fact]
    public void A_custom_scenario_run_request_reads_back_with_its_spec_field_for_field()
    {
        var sent = new ScenarioRunRequested(3, 5, "custom", "http://127.0.0.1:41234", ScenarioLoad.Default, RequestedAt,
            ServiceSpecExamples.NewsFeed);

        var entry = OutboxEntry.From(sent);
        var read = Assert.IsType<ScenarioRunRequested>(OutboxSerializer.Deserialize(entry.MessageType, entry.Payload));

        Assert.Equal(ServiceSpecJson.Serialize(ServiceSpecExamples.NewsFeed), ServiceSpecJson.Serialize(read.ServiceSpec!));
    }

    [Fact]
    public void A_template_request_from_before_the_spec_existed_reads_back_without_one()
    {
        const string saved = """{"DeploymentId": 11, "ProblemType": "url_shortener", "RequestedAt": "2026-12-02T08:30:15+00:00", "Settings": {}}""";

        var read = Assert.IsType<DeploymentRequested>(OutboxSerializer.Deserialize(nameof(DeploymentRequested), saved));

        Assert.Null(read.ServiceSpec);
    }
}
