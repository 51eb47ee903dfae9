using System.Net;
using System.Net.Http.Json;

namespace Sdp.Resilience.Tests.Infrastructure;

/// <summary>What the tests do through the public API.</summary>
public sealed class PlatformApi(ResilienceFixture platform)
{
    public static readonly string[] Final = ["ready", "deleted", "failed"];

    private const int LongPollSeconds = 30;

    public async Task<DeploymentView> DeployAsync(int? ttlMinutes = null)
    {
        using var response = await platform.Api.PostAsJsonAsync("/api/deployments", new
        {
            problem_type = "url_shortener",
            design_text = "Base62 codes in PostgreSQL, Redis cache-aside.",
            ttl_minutes = ttlMinutes,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DeploymentView>(ResilienceFixture.Json))!;
    }

    public Task<DeploymentView> GetAsync(long id, CancellationToken cancellationToken = default) =>
        GetAsync($"/api/deployments/{id}", cancellationToken);

    public async Task DeleteAsync(long id)
    {
        using var response = await platform.Api.DeleteAsync($"/api/deployments/{id}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>
    /// Long-polls until the deployment is in one of <paramref name="states"/> and returns it; returns it as it is if
    /// it was deleted without reaching one of them (it never will), or null when the deadline passes. One request
    /// per change the caller waits for, not one per intermediate state.
    /// </summary>
    public async Task<DeploymentView?> WaitForAnyAsync(long id, IReadOnlyCollection<string> states, CancellationToken deadline)
    {
        string? current = null;
        try
        {
            while (true)
            {
                var deployment = await GetAsync(
                    $"/api/deployments/{id}?wait_for={WaitFor(current, states)}&timeout_seconds={LongPollSeconds}", deadline);
                if (states.Contains(deployment.State) || deployment.State == "deleted")
                {
                    return deployment;
                }

                current = deployment.State;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return null;
        }
    }

    public async Task<CleanupRunView> RunCleanupAsync()
    {
        using var response = await platform.AdminApi.PostAsync("/api/admin/cleanup", content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CleanupRunView>(ResilienceFixture.Json))!;
    }

    public async Task<OrphansView> ListOrphansAsync()
    {
        using var response = await platform.AdminApi.GetAsync("/api/admin/orphans");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrphansView>(ResilienceFixture.Json))!;
    }

    /// <summary>
    /// The state to hold the long-poll for. The API answers a wait for <c>ready</c> once the deployment is ready or
    /// past it or failed, and a wait for <c>failed</c> once it failed or was deleted: so while it may still become
    /// ready, wait for that; after, wait for the end, whichever end the caller asked for.
    /// </summary>
    private static string WaitFor(string? current, IReadOnlyCollection<string> states)
    {
        if (states.Contains("ready") && current is null or "queued" or "provisioning")
        {
            return "ready";
        }

        return states.Contains("deleted") && !states.Contains("failed") ? "deleted" : "failed";
    }

    private async Task<DeploymentView> GetAsync(string path, CancellationToken cancellationToken) =>
        (await platform.Api.GetFromJsonAsync<DeploymentView>(path, ResilienceFixture.Json, cancellationToken))!;
}
