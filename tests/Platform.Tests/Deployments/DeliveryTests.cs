using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Sdp.Contracts;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Deployments;

/// <summary>Messages delivered twice, messages never published, and provisioning that fails half-way.</summary>
[Collection(PlatformCollection.Name)]
public sealed class DeliveryTests(PlatformFixture platform)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);
    private readonly PlatformClient client = new(platform);
    private readonly ResourceProbe probe = new(platform);

    [Fact]
    public async Task A_deployment_request_delivered_twice_builds_once_and_keeps_the_running_service()
    {
        var ready = await client.DeployReadyAsync();
        var credentialsBefore = await client.GetCredentialsAsync(ready.Id);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(ready.EndpointUrl!) };
        using var created = await http.PostAsJsonAsync("/api/urls", new { url = "https://example.net/kept" });
        var code = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

        await using var bus = await TestBus.StartAsync(platform.MessagingConnectionString);
        await bus.PublishAsync(new DeploymentRequested(ready.Id, "url_shortener", DateTimeOffset.UtcNow));
        var reported = await bus.WaitForAsync<DeploymentProvisioned>(e => e.DeploymentId == ready.Id, EventTimeout);

        // The provisioner reported the first outcome again instead of building anew.
        Assert.Equal(ready.EndpointUrl, reported.EndpointUrl);
        Assert.Equal(credentialsBefore, await client.GetCredentialsAsync(ready.Id));
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync())
        {
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
                "SELECT attempts FROM provisioner.deployments WHERE deployment_id = @id", new { id = ready.Id }));
        }

        // The running service still works with its original credentials and data.
        using var redirect = await http.GetAsync($"/{code}");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var after = await client.GetAsync(ready.Id);
        Assert.Equal("ready", after.State);
        Assert.Equal(ready.Timestamps.Ready, after.Timestamps.Ready);

        await client.DeleteAsync(ready.Id);
        await client.WaitForStateAsync(ready.Id, "deleted");
    }

    [Fact]
    public async Task A_cleanup_request_delivered_twice_confirms_the_deployment_is_gone()
    {
        var ready = await client.DeployReadyAsync();
        await client.DeleteAsync(ready.Id);
        await client.WaitForStateAsync(ready.Id, "deleted");

        await using var bus = await TestBus.StartAsync(platform.MessagingConnectionString);
        await bus.PublishAsync(new CleanupRequested(ready.Id, DateTimeOffset.UtcNow));
        await bus.WaitForAsync<DeploymentCleanedUp>(e => e.DeploymentId == ready.Id, EventTimeout);

        Assert.Equal("deleted", (await client.GetAsync(ready.Id)).State);
        Assert.False(await probe.SchemaExistsAsync(ready.Id));
        Assert.False(await probe.RedisUserExistsAsync(ready.Id));
        Assert.Null(await client.GetServiceAsync(ready.Id));
    }

    [Fact]
    public async Task A_provisioning_report_arriving_after_deletion_cleans_again_but_the_deployment_stays_deleted()
    {
        var ready = await client.DeployReadyAsync();
        await client.DeleteAsync(ready.Id);
        var deleted = await client.WaitForStateAsync(ready.Id, "deleted");

        // The provisioner's report of a build that finished after the candidate deleted the deployment.
        await using var bus = await TestBus.StartAsync(platform.MessagingConnectionString);
        var cleanedUp = bus.WaitForAsync<DeploymentCleanedUp>(e => e.DeploymentId == ready.Id, EventTimeout);
        await bus.PublishAsync(new DeploymentProvisioned(ready.Id, ready.EndpointUrl!, ready.Resources.DatabaseSchema,
            ready.Resources.RedisPrefix, new ProvisioningTimings(1, 1, 1, 1, 4), DateTimeOffset.UtcNow));
        await cleanedUp;

        // What was built late went again, and the deployment never came back to life as cleaning (which would
        // count against the tenant's live deployments).
        var after = await client.GetAsync(ready.Id);
        Assert.Equal("deleted", after.State);
        Assert.Equal(deleted.Timestamps.Cleaning, after.Timestamps.Cleaning);
        Assert.Equal(deleted.Timestamps.Deleted, after.Timestamps.Deleted);
        Assert.False(await probe.SchemaExistsAsync(ready.Id));
        Assert.Null(await client.GetServiceAsync(ready.Id));
    }

    [Fact]
    public async Task A_deployment_saved_but_never_published_is_published_by_the_relay()
    {
        // What a crash between the API's commit and its publish leaves behind: a queued row and an unsent message.
        long id;
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync())
        {
            id = await connection.ExecuteScalarAsync<long>("""
                WITH created AS (
                    INSERT INTO platform.deployments (tenant_id, problem_type, design_text, state, created_at, queued_at, updated_at)
                    VALUES (@tenant, 'url_shortener', 'saved before a crash', 'queued', now(), now(), now())
                    RETURNING id, created_at)
                INSERT INTO platform.outbox (message_type, payload, created_at)
                SELECT 'DeploymentRequested',
                       jsonb_build_object('DeploymentId', id, 'ProblemType', 'url_shortener', 'RequestedAt', created_at),
                       now()
                FROM created
                RETURNING (payload->>'DeploymentId')::bigint
                """, new { tenant = platform.TenantId });
        }

        var ready = await client.WaitForStateAsync(id, "ready");
        Assert.NotNull(ready.EndpointUrl);
        await client.DeleteAsync(id);
        await client.WaitForStateAsync(id, "deleted");
    }

    [Fact]
    public async Task Provisioning_that_fails_half_way_reports_why_and_removes_what_it_created()
    {
        // Reserve a deployment id and occupy its database role name, so the database step fails while the
        // Redis user and the service are being created next to it.
        long id;
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync())
        {
            id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO platform.deployments (tenant_id, problem_type, design_text, state, created_at, queued_at, updated_at)
                VALUES (@tenant, 'url_shortener', 'doomed', 'queued', now(), now(), now())
                RETURNING id
                """, new { tenant = platform.TenantId });
            await connection.ExecuteAsync($"CREATE ROLE candidate_{id} NOLOGIN");
        }

        await using var bus = await TestBus.StartAsync(platform.MessagingConnectionString);
        await bus.PublishAsync(new DeploymentRequested(id, "url_shortener", DateTimeOffset.UtcNow));

        var failed = await client.WaitForStateAsync(id, "failed");
        Assert.False(failed.Success);
        Assert.Contains("already exists", failed.Error);
        Assert.NotNull(failed.Timestamps.Failed);

        Assert.Null(await client.GetServiceAsync(id));
        Assert.False(await probe.RedisUserExistsAsync(id));
        Assert.False(await probe.SchemaExistsAsync(id));
        Assert.False(await probe.RoleExistsAsync(id));
    }
}
