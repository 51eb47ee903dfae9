using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Sdp.Simulator.CloudRun.Model;

namespace Sdp.Simulator.CloudRun.Api;

/// <summary>HTTP errors in Google's shape: <c>{"error": {code, message, status, details}}</c>, with typed details.</summary>
public static class GoogleApiErrors
{
    public static IResult InvalidArgument(HttpRequest request, string message, string field) =>
        Error(request, StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", message, new JsonObject
        {
            ["@type"] = "type.googleapis.com/google.rpc.BadRequest",
            ["fieldViolations"] = new JsonArray(new JsonObject { ["field"] = field, ["description"] = message }),
        });

    public static IResult NotFound(HttpRequest request, string resourceType, string resourceName) =>
        Error(request, StatusCodes.Status404NotFound, "NOT_FOUND", $"Resource '{resourceName}' was not found",
            ResourceInfo(resourceType, resourceName));

    public static IResult AlreadyExists(HttpRequest request, string resourceType, string resourceName) =>
        Error(request, StatusCodes.Status409Conflict, "ALREADY_EXISTS", $"Resource '{resourceName}' already exists.",
            ResourceInfo(resourceType, resourceName));

    public static IResult ResourceExhausted(HttpRequest request, string message) =>
        Error(request, StatusCodes.Status429TooManyRequests, "RESOURCE_EXHAUSTED", message, new JsonObject
        {
            ["@type"] = "type.googleapis.com/google.rpc.QuotaFailure",
            ["violations"] = new JsonArray(new JsonObject { ["subject"] = "services", ["description"] = message }),
        });

    public static IResult Unavailable(HttpRequest request, string message) =>
        Error(request, StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", message, new JsonObject
        {
            ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
            ["reason"] = "SERVICE_UNAVAILABLE",
            ["domain"] = "run.googleapis.com",
        });

    private static JsonObject ResourceInfo(string resourceType, string resourceName) => new()
    {
        ["@type"] = "type.googleapis.com/google.rpc.ResourceInfo",
        ["resourceType"] = resourceType,
        ["resourceName"] = resourceName,
    };

    private static IResult Error(HttpRequest request, int httpStatus, string status, string message, JsonObject detail) =>
        Results.Json(new ErrorResponse(new ErrorBody(httpStatus, message, status, [detail])),
            CloudRunJson.ForResponse(request), statusCode: httpStatus);
}
