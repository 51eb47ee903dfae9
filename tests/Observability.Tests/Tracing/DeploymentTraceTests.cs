using System.Diagnostics;
using System.Globalization;
using Dapper;
using Sdp.Observability.Tests.Infrastructure;

namespace Sdp.Observability.Tests.Tracing;

[Collection(ObservedPlatformCollection.Name)]
public sealed class DeploymentTraceTests(ObservedPlatformFixture platform)
{
    [Fact]
    public async Task One_trace_runs_from_the_request_through_the_bus_to_the_services_first_health_answer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var id = await platform.DeployAsync(timeout.Token);

        // Complete once the service's health answer and the orchestrator's handling of the outcome are in, and no
        // span waits for its parent's batch any more.
        var spans = await WaitForTraceAsync(id, spans =>
            spans.Any(s => s.Resource == "simulator" && s.Name == "GET /health")
            && spans.Count(s => s.Resource == "orchestrator-api" && s.Kind == "Consumer") >= 2
            && spans.All(s => s.ParentSpanId is null || spans.Any(p => p.SpanId == s.ParentSpanId)), timeout.Token);

        Assert.Single(spans.Select(s => s.TraceId).Distinct());
        var root = Assert.Single(spans, s => s.ParentSpanId is null);
        Assert.Equal("orchestrator-api", root.Resource);
        Assert.Equal("Server", root.Kind);
        Assert.StartsWith("POST /api/deployments", root.Name, StringComparison.Ordinal);

        // Every other span hangs off the root through spans of the same trace.
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        Assert.All(spans.Where(s => s != root), s => Assert.Contains(s.ParentSpanId!, ids));

        Assert.Contains(spans, s => s.Resource == "orchestrator-api" && s.Kind == "Producer"); // MassTransit send
        Assert.Contains(spans, s => s.Resource == "provisioner-worker" && s.Kind == "Consumer");
        Assert.Contains(spans, s => s.Resource == "provisioner-worker" && s.Name == "create candidate database");
        Assert.Contains(spans, s => s.Resource == "provisioner-worker" && s.Name == "create candidate redis user");
        Assert.Contains(spans, s => s.Resource == "provisioner-worker" && s.Scope == "Npgsql"); // the database work
        Assert.Contains(spans, s => s.Resource == "simulator" && s.Kind == "Server" && s.Name.Contains("/v2/projects/", StringComparison.Ordinal));
        // The candidate service's health answers are the provisioner's probe, inside "wait for first healthy answer".
        var healthAnswers = spans.Where(s => s.Resource == "simulator" && s.Name == "GET /health").ToList();
        Assert.NotEmpty(healthAnswers);
        Assert.All(healthAnswers, health =>
        {
            var probe = spans.Single(s => s.SpanId == health.ParentSpanId);
            Assert.Equal("provisioner-worker", probe.Resource);
            Assert.Equal("wait for first healthy answer", spans.Single(s => s.SpanId == probe.ParentSpanId).Name);
        });
        // The orchestrator consumes the outcome within the same trace.
        Assert.Contains(spans, s => s.Resource == "orchestrator-api" && s.Kind == "Consumer");
    }

    [Fact]
    public async Task A_message_the_outbox_relay_publishes_late_continues_the_trace_that_saved_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var traceId = ActivityTraceId.CreateRandom();
        var savedBy = ActivitySpanId.CreateRandom();
        var traceparent = $"00-{traceId}-{savedBy}-01";

        // A deployment saved with its message, which was never published (as after a crash between commit and
        // publish): only the relay can send it, seconds later.
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync(timeout.Token))
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                WITH created AS (
                    INSERT INTO platform.deployments (tenant_id, problem_type, design_text, state, created_at, queued_at, updated_at)
                    VALUES (@tenant, 'url_shortener', 'relay trace test', 'queued', now(), now(), now())
                    RETURNING id, created_at
                )
                INSERT INTO platform.outbox (message_type, payload, created_at, traceparent)
                SELECT 'DeploymentRequested',
                       jsonb_build_object('DeploymentId', id, 'ProblemType', 'url_shortener', 'RequestedAt', created_at),
                       now() - interval '10 seconds', @traceparent
                FROM created
                """, new { traceparent, tenant = platform.TenantId }, cancellationToken: timeout.Token));
        }

        var spans = await WaitForSpansAsync(traceId.ToString(),
            spans => spans.Any(s => s.Resource == "provisioner-worker" && s.Name == "provision deployment")
                && spans.Any(s => s.Name == "outbox publish"), timeout.Token);

        var publish = Assert.Single(spans, s => s.Name == "outbox publish");
        Assert.Equal("orchestrator-api", publish.Resource);
        Assert.Equal(savedBy.ToString(), publish.ParentSpanId);
        Assert.Contains(spans, s => s.Resource == "provisioner-worker" && s.Kind == "Consumer");
    }

    [Fact]
    public async Task The_deployments_logs_carry_its_trace_and_filter_by_resource_and_level()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var id = await platform.DeployAsync(timeout.Token);
        var traceId = (await WaitForTraceAsync(id, _ => true, timeout.Token))[0].TraceId;

        var readyMessage = $"Deployment {id.ToString(CultureInfo.InvariantCulture)} ready at ";
        var logs = await ObservedPlatformFixture.WaitForAsync(
            () => platform.Telemetry.GetLogsAsync("provisioner-worker", "Information", timeout.Token),
            logs => logs.Any(l => l.Message.StartsWith(readyMessage, StringComparison.Ordinal)), timeout.Token);
        var ready = logs.First(l => l.Message.StartsWith(readyMessage, StringComparison.Ordinal));
        Assert.Equal(traceId, ready.TraceId);
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), ready.Attributes["DeploymentId"]);
        Assert.All(logs, l => Assert.Equal("provisioner-worker", l.Resource));

        var warnings = await platform.Telemetry.GetLogsAsync(null, "Warning", timeout.Token);
        Assert.All(warnings, l => Assert.Contains(l.Severity, new[] { "Warning", "Error", "Critical" }));
    }

    /// <summary>
    /// The spans of the deployment's provisioning trace (the one whose "provision deployment" span carries its id),
    /// once <paramref name="complete"/> holds for them.
    /// </summary>
    private Task<IReadOnlyList<TelemetrySpan>> WaitForTraceAsync(long deploymentId,
        Func<IReadOnlyList<TelemetrySpan>, bool> complete, CancellationToken cancellationToken) =>
        WaitForAsync(async () =>
        {
            var spans = await platform.Telemetry.GetSpansAsync("provisioner-worker", cancellationToken);
            var id = deploymentId.ToString(CultureInfo.InvariantCulture);
            return spans.FirstOrDefault(s => s.Name == "provision deployment"
                && s.Attributes.GetValueOrDefault("sdp.deployment.id") == id)?.TraceId;
        }, complete, cancellationToken);

    private Task<IReadOnlyList<TelemetrySpan>> WaitForSpansAsync(string traceId,
        Func<IReadOnlyList<TelemetrySpan>, bool> complete, CancellationToken cancellationToken) =>
        WaitForAsync(() => Task.FromResult<string?>(traceId), complete, cancellationToken);

    private async Task<IReadOnlyList<TelemetrySpan>> WaitForAsync(Func<Task<string?>> findTrace,
        Func<IReadOnlyList<TelemetrySpan>, bool> complete, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await findTrace() is { } traceId)
            {
                var spans = await platform.Telemetry.GetTraceAsync(traceId, cancellationToken);
                if (spans.Count > 0 && complete(spans))
                {
                    return spans;
                }
            }

            // Spans are exported in batches, once a second.
            await Task.Delay(250, cancellationToken);
        }
    }
}
