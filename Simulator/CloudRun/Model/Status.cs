using System.Text.Json.Nodes;

namespace Sdp.Simulator.CloudRun.Model;

/// <summary><c>google.rpc.Status</c>, as found in a failed operation: a gRPC code number, no status name.</summary>
public sealed record Status(int Code, string Message, IReadOnlyList<JsonObject>? Details = null);

/// <summary>The body of an HTTP error from a Google API: <c>{"error": {code, message, status, details}}</c>.</summary>
public sealed record ErrorResponse(ErrorBody Error);

/// <param name="Code">The HTTP status code.</param>
/// <param name="Status">The canonical code's name, e.g. <c>ALREADY_EXISTS</c>.</param>
public sealed record ErrorBody(int Code, string Message, string Status, IReadOnlyList<JsonObject> Details);

/// <summary><c>ListServicesResponse</c>.</summary>
public sealed record ListServicesResponse(IReadOnlyList<Service> Services, string? NextPageToken);
