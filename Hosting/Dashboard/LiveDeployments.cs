using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Sdp.Hosting.Dashboard;

/// <summary>
/// Passes the Orchestrator's <c>GET /api/deployments</c> through to the dashboard page, with the API key the host
/// was given (<c>Dashboard:DeploymentsApiKey</c>) as a bearer token; the page never sees the key.
/// </summary>
internal static class LiveDeployments
{
    public static async Task<IResult> GetAsync(ResourceNotificationService notifications, string resourceName, string apiKey,
        HttpClient http, int limit, CancellationToken cancellationToken)
    {
        var snapshot = notifications.GetSnapshots().FirstOrDefault(s => s.Name == resourceName);
        if (snapshot is not { State: KnownResourceStates.Running } || snapshot.Endpoints.Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: $"{resourceName} is not running.");
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(snapshot.Endpoints[0], $"/api/deployments?limit={limit}"));
            if (apiKey.Length > 0)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
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
