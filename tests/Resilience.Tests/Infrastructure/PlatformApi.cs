using System.Net;
using System.Net.Http.Json;

namespace Sdp.Resilience.Tests.Infrastructure;

/// <summary>What the tests do through the public API.</summary>
public sealed class PlatformApi(ResilienceFixture platform)
{
    public static readonly string[] Final = ["ready", "deleted", "failed"];

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

    public async Task<DeploymentView> GetAsync(long id, CancellationToken cancellationToken = default) =>
        (await platform.Api.GetFromJsonAsync<DeploymentView>($"/api/deployments/{id}", ResilienceFixture.Json,
            cancellationToken))!;

    public async Task DeleteAsync(long id)
    {
        using var response = await platform.Api.DeleteAsync($"/api/deployments/{id}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Long-polls until the deployment is in one of <paramref name="states"/>, or the deadline passes (then null).</summary>
    public async Task<DeploymentView?> WaitForAnyAsync(long id, IReadOnlyCollection<string> states, CancellationToken deadline)
    {
        while (!deadline.IsCancellationRequested)
        {
            var deployment = await GetAsync(id, deadline);
            if (states.Contains(deployment.State))
            {
                return deployment;
            }

            try
            {
                // Wakes on any state change past the current one.
                var next = NextState(deployment.State);
                deployment = (await platform.Api.GetFromJsonAsync<DeploymentView>(
                    $"/api/deployments/{id}?wait_for={next}&timeout_seconds=2", ResilienceFixture.Json, deadline))!;
                if (states.Contains(deployment.State))
                {
                    return deployment;
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return null;
            }
        }

        return null;
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

    private static string NextState(string state) => state switch
    {
        "queued" => "provisioning",
        "provisioning" => "ready",
        "ready" => "cleaning",
        "cleaning" => "deleted",
        _ => "deleted",
    };
}
