using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Sdp.Orchestrator.Api.Http;

/// <summary>
/// Reads a JSON request body and turns every way it can be wrong (content type, size, syntax, unknown
/// fields) into RFC 7807 problem details instead of an exception.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request,
        JsonSerializerOptions options, long maxBytes, CancellationToken cancellationToken) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send the request body as JSON with Content-Type: application/json."));
        }

        var sizeLimit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        try
        {
            var value = await request.ReadFromJsonAsync<T>(options, cancellationToken);
            return value is null
                ? (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request body",
                    detail: "The request body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            var where = exception.Path is { Length: > 0 } path ? $" at {path}" : "";
            var detail = exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"Unknown field{where}."
                : $"The request body is not valid JSON for this request{where}" +
                  (exception.LineNumber is { } line ? $" (line {line + 1}, position {exception.BytePositionInLine})." : ".");
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON",
                detail: detail));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
    }

    private static IResult TooLarge(long maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
        detail: $"The request body must be at most {maxBytes} bytes.");
}
