using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Sdp.Observability.Tests.Infrastructure;

namespace Sdp.Observability.Tests.Collector;

[Collection(ObservedPlatformCollection.Name)]
public sealed class OtlpReceiverTests(ObservedPlatformFixture platform)
{
    [Fact]
    public async Task A_span_exported_over_otlp_http_protobuf_shows_in_the_trace_view()
    {
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var spanId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L;

        // ExportTraceServiceRequest { ResourceSpans { Resource { service.name }, ScopeSpans { Scope, Span } } }
        var span = Protobuf.Message(
            Protobuf.Bytes(1, Convert.FromHexString(traceId)),
            Protobuf.Bytes(2, Convert.FromHexString(spanId)),
            Protobuf.String(5, "hand-made span"),
            Protobuf.Varint(6, 3),
            Protobuf.Fixed64(7, (ulong)start),
            Protobuf.Fixed64(8, (ulong)(start + 42_000_000)),
            Protobuf.Bytes(9, Protobuf.KeyValue("sdp.deployment.id", "777")),
            Protobuf.Bytes(15, Protobuf.Message(Protobuf.String(2, "it broke"), Protobuf.Varint(3, 2))));
        var request = Protobuf.Message(Protobuf.Bytes(1, Protobuf.Message(
            Protobuf.Bytes(1, Protobuf.Message(Protobuf.Bytes(1, Protobuf.KeyValue("service.name", "test-exporter")))),
            Protobuf.Bytes(2, Protobuf.Message(Protobuf.Bytes(1, Protobuf.Message(Protobuf.String(1, "tests"))), Protobuf.Bytes(2, span))))));

        using var response = await PostAsync("/v1/traces", request, "application/x-protobuf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var spans = JsonDocument.Parse(await platform.Dashboard.GetStringAsync($"/api/traces/{traceId}")).RootElement;
        var received = Assert.Single(spans.EnumerateArray());
        Assert.Equal(spanId, received.GetProperty("span_id").GetString());
        Assert.Equal("hand-made span", received.GetProperty("name").GetString());
        Assert.Equal("test-exporter", received.GetProperty("resource").GetString());
        Assert.Equal("tests", received.GetProperty("scope").GetString());
        Assert.Equal("Client", received.GetProperty("kind").GetString());
        Assert.Equal(42.0, received.GetProperty("duration_ms").GetDouble(), 3);
        Assert.Equal("Error", received.GetProperty("status").GetString());
        Assert.Equal("it broke", received.GetProperty("status_message").GetString());

        var byDeployment = JsonDocument.Parse(await platform.Dashboard.GetStringAsync("/api/traces?deployment_id=777")).RootElement;
        Assert.Equal(traceId, Assert.Single(byDeployment.EnumerateArray()).GetProperty("trace_id").GetString());
    }

    [Fact]
    public async Task Bodies_that_are_not_otlp_protobuf_are_refused_and_store_nothing()
    {
        using (var json = await PostAsync("/v1/logs", Encoding.UTF8.GetBytes("{}"), "application/json"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        }

        // A length-delimited field claiming 127 bytes with only one there.
        using (var truncated = await PostAsync("/v1/logs", [0x0A, 0x7F, 0x01], "application/x-protobuf"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        }

        // Only the OTLP port takes exports; the page's port does not.
        using var onDashboard = new HttpRequestMessage(HttpMethod.Post, "/v1/logs") { Content = new ByteArrayContent([]) };
        onDashboard.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var refused = await platform.Dashboard.SendAsync(onDashboard);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);

        // A partial decode keeps nothing: no entry without a resource appeared.
        var logs = JsonDocument.Parse(await platform.Dashboard.GetStringAsync("/api/logs?limit=5000&level=Trace")).RootElement;
        Assert.DoesNotContain(logs.EnumerateArray(), l => l.GetProperty("resource").GetString() == "unknown");
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType)
    {
        using var client = new HttpClient { BaseAddress = platform.App.OtlpUrl };
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await client.PostAsync(path, content);
    }
}
