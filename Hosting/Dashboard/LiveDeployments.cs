using System.Net;
using Microsoft.AspNetCore.Http;

namespace Sdp.Hosting.Dashboard;

/// <summary>Passes the Orchestrator's <c>GET /api/deployments</c> through to the dashboard page.</summary>
internal static class LiveDeployments
{
    public static async Task<IResult> GetAsync(ResourceNotificationService notifications, string resourceName, HttpClient http,
        int limit, CancellationToken cancellationToken)
    {
        var snapshot = notifications.GetSnapshots().FirstOrDefault(s => s.Name == resourceName);
        if (snapshot is not { State: KnownResourceStates.Running } || snapshot.Endpoints.Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: $"{resourceName} is not running.");
        }

        try
        {
            using var response = await http.GetAsync(new Uri(snapshot.Endpoints[0], $"/api/deployments?limit={limit}"),
                cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Results.Content(body, response.Content.Headers.ContentType?.ToString() ?? "application/json",
                statusCode: (int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            return Results.Problem(statusCode: (int)HttpStatusCode.BadGateway, title: $"{resourceName} did not answer.",
                detail: e.Message);
        }
    }
}
