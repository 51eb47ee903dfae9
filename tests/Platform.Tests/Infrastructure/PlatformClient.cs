using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sdp.Platform.Tests.Infrastructure;

/// <summary>
/// What a test does through the public API and the Simulator's Cloud Run API; as the tests' own tenant unless
/// given another tenant's client.
/// </summary>
public sealed class PlatformClient(PlatformFixture platform, HttpClient? tenantApi = null)
{
    private HttpClient Api => tenantApi ?? platform.Api;

    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(60);

    public async Task<DeploymentView> DeployAsync(string problemType = "url_shortener", string? submissionId = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/deployments",
            new { problem_type = problemType, design_text = "Base62 codes in PostgreSQL, Redis cache-aside.", submission_id = submissionId });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var deployment = (await response.Content.ReadFromJsonAsync<DeploymentView>(PlatformFixture.Json))!;
        Assert.Equal($"/api/deployments/{deployment.Id}", response.Headers.Location?.OriginalString);
        return deployment;
    }

    public async Task<DeploymentView> GetAsync(long id) =>
        (await Api.GetFromJsonAsync<DeploymentView>($"/api/deployments/{id}", PlatformFixture.Json))!;

    public async Task<DeploymentView> DeleteAsync(long id)
    {
        using var response = await Api.DeleteAsync($"/api/deployments/{id}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DeploymentView>(PlatformFixture.Json))!;
    }

    /// <summary>
    /// Waits (the API's <c>wait_for</c> long-poll) until the deployment reaches <paramref name="state"/>; fails at
    /// once on an unexpected failure.
    /// </summary>
    public async Task<DeploymentView> WaitForStateAsync(long id, string state)
    {
        using var timeout = new CancellationTokenSource(StateTimeout);
        while (true)
        {
            DeploymentView deployment;
            try
            {
                deployment = (await Api.GetFromJsonAsync<DeploymentView>(
                    $"/api/deployments/{id}?wait_for={state}&timeout_seconds=10", PlatformFixture.Json, timeout.Token))!;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                deployment = await GetAsync(id);
                Assert.Fail($"Deployment {id} did not reach '{state}' within {StateTimeout}; it is '{deployment.State}'.");
                throw;
            }

            if (deployment.State == state)
            {
                return deployment;
            }

            if (deployment.State == "failed")
            {
                Assert.Fail($"Deployment {id} failed: {deployment.Error}");
            }
        }
    }

    public async Task<DeploymentView> DeployReadyAsync() => await WaitForStateAsync((await DeployAsync()).Id, "ready");

    /// <summary>The Cloud Run service as the Simulator reports it, or null when it does not exist.</summary>
    public async Task<JsonElement?> GetServiceAsync(long deploymentId)
    {
        using var http = new HttpClient { BaseAddress = platform.SimulatorUrl };
        using var response = await http.GetAsync($"/v2/projects/sdp-local/locations/local/services/sdp-sub-{deploymentId}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The credentials the provisioner gave the candidate's service, read from its container env.</summary>
    public async Task<CandidateCredentials> GetCredentialsAsync(long deploymentId)
    {
        var service = await GetServiceAsync(deploymentId) ?? throw new InvalidOperationException("no service");
        var env = service.GetProperty("template").GetProperty("containers")[0].GetProperty("env").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString()!);
        return new CandidateCredentials(env["ConnectionStrings__database"], env["ConnectionStrings__redis"],
            env["REDIS_KEY_PREFIX"]);
    }
}

public sealed record CandidateCredentials(string Database, string Redis, string KeyPrefix);
