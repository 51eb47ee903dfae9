using System.Net;
using System.Text.Json;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// An error answer of the Cloud Run Admin API, read from Google's error body
/// <c>{"error": {code, message, status, details}}</c>.
/// </summary>
public sealed class CloudRunApiException(
    HttpStatusCode statusCode,
    string status,
    string message,
    IReadOnlyList<JsonElement>? details = null,
    Exception? innerException = null)
    : Exception(message, innerException)
{
    public const string AlreadyExists = "ALREADY_EXISTS";
    public const string NotFound = "NOT_FOUND";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string FailedPrecondition = "FAILED_PRECONDITION";
    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string ResourceExhausted = "RESOURCE_EXHAUSTED";
    public const string Unavailable = "UNAVAILABLE";
    public const string Internal = "INTERNAL";
    public const string Unknown = "UNKNOWN";

    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The canonical error name, e.g. <c>ALREADY_EXISTS</c>.</summary>
    public string Status { get; } = status;

    public IReadOnlyList<JsonElement> Details { get; } = details ?? [];

    /// <summary>The canonical name Google uses for an HTTP status when a body does not say.</summary>
    public static string StatusFor(HttpStatusCode statusCode) => statusCode switch
    {
        HttpStatusCode.BadRequest => InvalidArgument,
        HttpStatusCode.Unauthorized => Unauthenticated,
        HttpStatusCode.Forbidden => PermissionDenied,
        HttpStatusCode.NotFound => NotFound,
        HttpStatusCode.Conflict => AlreadyExists,
        HttpStatusCode.TooManyRequests => ResourceExhausted,
        HttpStatusCode.ServiceUnavailable => Unavailable,
        HttpStatusCode.InternalServerError => Internal,
        _ => Unknown,
    };
}
