using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Deployments;

[Collection(PlatformCollection.Name)]
public sealed class DeploymentLifecycleTests(PlatformFixture platform)
{
    private readonly PlatformClient client = new(platform);
    private readonly ResourceProbe probe = new(platform);

    [Fact]
    public async Task A_deployed_url_shortener_shortens_and_resolves_and_delete_removes_every_trace()
    {
        var accepted = await client.DeployAsync(submissionId: "candidate-42/attempt-1");
        Assert.Equal("queued", accepted.State);
        Assert.Equal("url_shortener", accepted.ProblemType);

        var ready = await client.WaitForStateAsync(accepted.Id, "ready");
        Assert.True(ready.Success);
        Assert.Equal("candidate-42/attempt-1", ready.SubmissionId);
        Assert.Equal($"candidate_{ready.Id}", ready.Resources.DatabaseSchema);
        Assert.Equal($"sub:{ready.Id}:", ready.Resources.RedisPrefix);
        Assert.NotNull(ready.Timestamps.Provisioning);
        Assert.True(ready.Timestamps.Ready >= ready.Timestamps.Queued);
        Assert.True(ready.DeploymentTimeSeconds > 0);
        Assert.NotNull(ready.Timings);
        Assert.Null(ready.Error);

        // The candidate's backend works: shorten, resolve (302), count the click.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(ready.EndpointUrl!),
        };
        using var created = await http.PostAsJsonAsync("/api/urls", new { url = "https://example.com/interviews?id=7" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var shortened = await created.Content.ReadFromJsonAsync<JsonElement>();
        var code = shortened.GetProperty("code").GetString()!;

        using var redirect = await http.GetAsync($"/{code}");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal("https://example.com/interviews?id=7", redirect.Headers.Location!.OriginalString);

        var info = await http.GetFromJsonAsync<JsonElement>($"/api/urls/{code}");
        Assert.Equal(1, info.GetProperty("clicks").GetInt64());
        Assert.True(await probe.RedisKeyCountAsync(ready.Id) > 0, "the shortener caches under its prefix");

        Assert.NotNull(await client.GetServiceAsync(ready.Id));
        Assert.True(await probe.SchemaExistsAsync(ready.Id));
        Assert.True(await probe.RoleExistsAsync(ready.Id));
        Assert.True(await probe.RedisUserExistsAsync(ready.Id));

        var cleaning = await client.DeleteAsync(ready.Id);
        Assert.Contains(cleaning.State, new[] { "cleaning", "deleted" });
        var deleted = await client.WaitForStateAsync(ready.Id, "deleted");
        Assert.NotNull(deleted.Timestamps.Cleaning);
        Assert.NotNull(deleted.Timestamps.Deleted);

        Assert.Null(await client.GetServiceAsync(ready.Id));
        Assert.False(await probe.SchemaExistsAsync(ready.Id));
        Assert.False(await probe.RoleExistsAsync(ready.Id));
        Assert.False(await probe.RedisUserExistsAsync(ready.Id));
        Assert.Equal(0, await probe.RedisKeyCountAsync(ready.Id));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/health"));
    }

    [Fact]
    public async Task Deleting_twice_is_accepted_and_changes_nothing_more()
    {
        var ready = await client.DeployReadyAsync();
        await client.DeleteAsync(ready.Id);
        var deleted = await client.WaitForStateAsync(ready.Id, "deleted");

        var again = await client.DeleteAsync(ready.Id);
        Assert.Equal("deleted", again.State);
        Assert.Equal(deleted.Timestamps.Deleted, (await client.GetAsync(ready.Id)).Timestamps.Deleted);
    }

    [Fact]
    public async Task Deletes_at_the_same_moment_send_one_cleanup_request()
    {
        var ready = await client.DeployReadyAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.DeleteAsync(ready.Id)));

        Assert.All(answers, answer => Assert.Contains(answer.State, new[] { "cleaning", "deleted" }));
        Assert.Equal(1, await probe.CountAsync($"""
            SELECT count(*) FROM platform.outbox
            WHERE message_type = 'CleanupRequested' AND (payload->>'DeploymentId')::bigint = {ready.Id}
            """));
        var deleted = await client.WaitForStateAsync(ready.Id, "deleted");
        Assert.All(answers, answer => Assert.Equal(deleted.Timestamps.Cleaning, answer.Timestamps.Cleaning));
    }

    [Fact]
    public async Task The_messages_of_a_deployment_and_its_removal_are_marked_sent()
    {
        var ready = await client.DeployReadyAsync();
        await client.DeleteAsync(ready.Id);
        await client.WaitForStateAsync(ready.Id, "deleted");

        var sql = $"""
            SELECT count(*) FROM platform.outbox
            WHERE (payload->>'DeploymentId')::bigint = {ready.Id} AND published_at IS NULL
            """;
        // Marks are written a few at a time, shortly after the publish; they must land before the relay's grace
        // (2 s from the message's creation) runs out, or the relay would publish the message again.
        var graceEnds = DateTimeOffset.UtcNow.AddSeconds(2);
        while (await probe.CountAsync(sql) > 0 && DateTimeOffset.UtcNow < graceEnds)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, await probe.CountAsync(sql));
        Assert.Equal(1, await probe.CountAsync(sql.Replace("published_at IS NULL", "message_type = 'CleanupRequested' AND published_at IS NOT NULL", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Listing_pages_newest_first_and_filters_by_state()
    {
        var first = await client.DeployReadyAsync();
        var second = await client.DeployReadyAsync();
        var third = await client.DeployReadyAsync();

        var page = (await platform.Api.GetFromJsonAsync<DeploymentPageView>("/api/deployments?limit=2", PlatformFixture.Json))!;
        Assert.Equal(2, page.Items.Count);
        Assert.True(page.Items[0].Id > page.Items[1].Id, "newest first");
        Assert.NotNull(page.NextCursor);

        var next = (await platform.Api.GetFromJsonAsync<DeploymentPageView>(
            $"/api/deployments?limit=2&cursor={page.NextCursor}", PlatformFixture.Json))!;
        Assert.All(next.Items, d => Assert.True(d.Id < page.Items[1].Id));

        await client.DeleteAsync(second.Id);
        await client.WaitForStateAsync(second.Id, "deleted");
        var deletedOnly = (await platform.Api.GetFromJsonAsync<DeploymentPageView>(
            "/api/deployments?state=deleted&limit=100", PlatformFixture.Json))!;
        Assert.Contains(deletedOnly.Items, d => d.Id == second.Id);
        Assert.DoesNotContain(deletedOnly.Items, d => d.Id == first.Id || d.Id == third.Id);
        Assert.All(deletedOnly.Items, d => Assert.Equal("deleted", d.State));

        await client.DeleteAsync(first.Id);
        await client.DeleteAsync(third.Id);
        await client.WaitForStateAsync(first.Id, "deleted");
        await client.WaitForStateAsync(third.Id, "deleted");
    }

    [Fact]
    public async Task Waiting_for_ready_answers_once_the_deployment_is_ready()
    {
        var accepted = await client.DeployAsync();

        // One request: the API holds it until the state is reached.
        var ready = (await platform.Api.GetFromJsonAsync<DeploymentView>(
            $"/api/deployments/{accepted.Id}?wait_for=ready&timeout_seconds=30", PlatformFixture.Json))!;
        Assert.Equal("ready", ready.State);
        Assert.NotNull(ready.EndpointUrl);

        // A state that does not come answers with the state as it is when the wait runs out.
        var unchanged = (await platform.Api.GetFromJsonAsync<DeploymentView>(
            $"/api/deployments/{accepted.Id}?wait_for=deleted&timeout_seconds=1", PlatformFixture.Json))!;
        Assert.Equal("ready", unchanged.State);

        await client.DeleteAsync(accepted.Id);
        var deleted = (await platform.Api.GetFromJsonAsync<DeploymentView>(
            $"/api/deployments/{accepted.Id}?wait_for=deleted&timeout_seconds=30", PlatformFixture.Json))!;
        Assert.Equal("deleted", deleted.State);
    }

    [Fact]
    public async Task Templates_lists_the_url_shortener()
    {
        var templates = await platform.Api.GetFromJsonAsync<JsonElement>("/api/templates");
        Assert.Contains(templates.GetProperty("templates").EnumerateArray(),
            t => t.GetProperty("problem_type").GetString() == "url_shortener");
    }

    [Fact]
    public async Task OpenApi_document_and_Scalar_page_are_served()
    {
        var document = await platform.Api.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/deployments", out _));
        using var scalar = await platform.Api.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }
}
