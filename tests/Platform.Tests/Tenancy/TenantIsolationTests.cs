using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Tenancy;

/// <summary>One tenant never sees, changes or learns of another tenant's deployments and scenario runs.</summary>
[Collection(PlatformCollection.Name)]
public sealed class TenantIsolationTests(PlatformFixture platform)
{
    [Fact]
    public async Task Another_tenants_ids_answer_404_on_every_endpoint_and_change_nothing()
    {
        var (_, otherApi) = await platform.NewTenantAsync("isolation-other");
        using var _other = otherApi;
        var owner = new PlatformClient(platform);
        var deployment = await owner.DeployReadyAsync();
        using var started = await platform.Api.PostAsJsonAsync($"/api/deployments/{deployment.Id}/scenarios",
            new { load = new { requests_per_second = 5, duration_seconds = 1, concurrency = 1 } }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var missingId = long.MaxValue;

        var attempts = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Get, $"/api/deployments/{deployment.Id}", null),
            (HttpMethod.Get, $"/api/deployments/{deployment.Id}?wait_for=deleted&timeout_seconds=1", null),
            (HttpMethod.Delete, $"/api/deployments/{deployment.Id}", null),
            (HttpMethod.Get, $"/api/deployments/{deployment.Id}/scenarios", null),
            (HttpMethod.Get, $"/api/deployments/{deployment.Id}/scenarios/{runId}", null),
            (HttpMethod.Post, $"/api/deployments/{deployment.Id}/scenarios", "{}"),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await otherApi.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {response.StatusCode}");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

            // The answer for someone else's deployment reads exactly as for one that does not exist.
            using var missing = new HttpRequestMessage(method, path.Replace(deployment.Id.ToString(), missingId.ToString()));
            if (body is not null)
            {
                missing.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var missingResponse = await otherApi.SendAsync(missing);
            var missingProblem = await missingResponse.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(missingProblem.GetProperty("title").GetString(), problem.GetProperty("title").GetString());
            Assert.Equal(missingProblem.GetProperty("detail").GetString()!.Replace(missingId.ToString(), "N"),
                problem.GetProperty("detail").GetString()!.Replace(deployment.Id.ToString(), "N"));
        }

        var after = await owner.GetAsync(deployment.Id);
        Assert.Equal("ready", after.State);
        var runs = await platform.Api.GetFromJsonAsync<JsonElement>($"/api/deployments/{deployment.Id}/scenarios");
        Assert.Equal(1, runs.GetProperty("items").GetArrayLength());

        var otherList = await otherApi.GetFromJsonAsync<DeploymentPageView>("/api/deployments?limit=100", PlatformFixture.Json);
        Assert.DoesNotContain(otherList!.Items, d => d.Id == deployment.Id);

        await owner.DeleteAsync(deployment.Id);
    }

    [Fact]
    public async Task A_tenant_lists_only_its_own_deployments()
    {
        var (_, firstApi) = await platform.NewTenantAsync("isolation-first");
        var (_, secondApi) = await platform.NewTenantAsync("isolation-second");
        using var _first = firstApi;
        using var _second = secondApi;
        var first = new PlatformClient(platform, firstApi);
        var second = new PlatformClient(platform, secondApi);

        var mine = new[] { await first.DeployAsync(), await first.DeployAsync() };
        var theirs = await second.DeployAsync();

        var firstList = await firstApi.GetFromJsonAsync<DeploymentPageView>("/api/deployments?limit=100", PlatformFixture.Json);
        Assert.Equal(mine.Select(d => d.Id).OrderDescending(), firstList!.Items.Select(d => d.Id));
        var secondList = await secondApi.GetFromJsonAsync<DeploymentPageView>("/api/deployments?limit=100", PlatformFixture.Json);
        Assert.Equal([theirs.Id], secondList!.Items.Select(d => d.Id));

        // The admin sees both tenants' deployments.
        var adminList = await platform.AdminApi.GetFromJsonAsync<DeploymentPageView>("/api/deployments?limit=100", PlatformFixture.Json);
        Assert.Contains(adminList!.Items, d => d.Id == theirs.Id);
        Assert.Contains(adminList.Items, d => d.Id == mine[0].Id);

        foreach (var deployment in mine)
        {
            await first.DeleteAsync(deployment.Id);
        }

        await second.DeleteAsync(theirs.Id);
    }
}
