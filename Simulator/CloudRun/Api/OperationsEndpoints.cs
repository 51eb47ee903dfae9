using System.Globalization;
using System.Text.Json;
using Sdp.Simulator.CloudRun.Operations;
using Sdp.Simulator.CloudRun.Services;

namespace Sdp.Simulator.CloudRun.Api;

/// <summary>The <c>projects.locations.operations</c> collection: get, and wait (<c>:wait</c>).</summary>
public static class OperationsEndpoints
{
    private const string ResourceType = "google.longrunning.Operation";

    /// <summary>A <c>:wait</c> without a timeout, or with a longer one, waits at most this long.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var operations = endpoints.MapGroup("/v2/projects/{project}/locations/{location}/operations");
        operations.MapGet("/{operationId}", Get);
        operations.MapPost("/{operationId}:wait", WaitAsync);
        return endpoints;
    }

    private static IResult Get(string project, string location, string operationId, HttpRequest request, OperationRegistry operations)
    {
        var name = OperationName(project, location, operationId);
        return operations.Find(name) is { } operation
            ? Results.Json(operation.Current, CloudRunJson.ForResponse(request))
            : GoogleApiErrors.NotFound(request, ResourceType, name);
    }

    private static async Task<IResult> WaitAsync(string project, string location, string operationId, HttpRequest request,
        OperationRegistry operations, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var name = OperationName(project, location, operationId);
        if (operations.Find(name) is not { } operation)
        {
            return GoogleApiErrors.NotFound(request, ResourceType, name);
        }

        TimeSpan timeout;
        try
        {
            timeout = await ReadTimeoutAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            return GoogleApiErrors.InvalidArgument(request, $"Invalid timeout: {exception.Message}", "timeout");
        }

        try
        {
            await operation.Completion.WaitAsync(timeout, timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Not done yet: like Google, answer with the operation as it is.
        }

        return Results.Json(operation.Current, CloudRunJson.ForResponse(request));
    }

    private static string OperationName(string project, string location, string operationId) =>
        $"{ServiceName.LocationName(project, location)}/operations/{operationId}";

    /// <summary>Reads <c>{"timeout": "1.5s"}</c> (a <c>google.protobuf.Duration</c>); an empty body waits the maximum.</summary>
    private static async Task<TimeSpan> ReadTimeoutAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(json))
        {
            return MaxWait;
        }

        using var body = JsonDocument.Parse(json);
        if (!body.RootElement.TryGetProperty("timeout", out var timeout))
        {
            return MaxWait;
        }

        var text = timeout.GetString() ?? "";
        if (!text.EndsWith('s'))
        {
            throw new FormatException($"'{text}' is not a duration such as \"1.5s\".");
        }

        var seconds = decimal.Parse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var requested = TimeSpan.FromSeconds((double)seconds);
        return requested < MaxWait ? requested : MaxWait;
    }
}
