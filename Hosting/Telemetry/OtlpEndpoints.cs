using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Sdp.Hosting.Telemetry;

/// <summary>
/// OTLP/HTTP with protobuf bodies (<c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>, what the .NET exporter speaks):
/// <c>POST /v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>. Answered only on the OTLP port. A body that is not
/// valid protobuf gets 400 and stores nothing.
/// </summary>
internal static class OtlpEndpoints
{
    private const string ProtobufContentType = "application/x-protobuf";

    /// <summary>Exporters send batches of at most a few MiB; anything bigger is refused unread.</summary>
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    public static void MapOtlpEndpoints(this IEndpointRouteBuilder app, TelemetryStore store, Func<int?> otlpPort)
    {
        var group = app.MapGroup("/v1").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.LocalPort == otlpPort()
                ? await next(context)
                : Results.NotFound());
        group.MapPost("/traces", (HttpRequest request, CancellationToken ct) =>
            ReceiveAsync(request, body => store.AddSpans(OtlpDecoder.DecodeTraces(body)), ct));
        group.MapPost("/logs", (HttpRequest request, CancellationToken ct) =>
            ReceiveAsync(request, body => store.AddLogs(OtlpDecoder.DecodeLogs(body)), ct));
        group.MapPost("/metrics", (HttpRequest request, CancellationToken ct) =>
            ReceiveAsync(request, body => store.AddMetrics(OtlpDecoder.DecodeMetrics(body)), ct));
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, Action<byte[]> store, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Only OTLP/HTTP with protobuf bodies (application/x-protobuf) is accepted.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The export is too large.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length > MaxBodyBytes)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The export is too large.");
        }

        try
        {
            store(buffer.ToArray());
        }
        catch (InvalidDataException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a valid OTLP export.", detail: e.Message);
        }

        // An empty Export*ServiceResponse: everything accepted.
        return Results.Bytes([], ProtobufContentType);
    }
}
