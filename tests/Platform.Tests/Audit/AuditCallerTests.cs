using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Audit;

/// <summary>Audit entries say who acted and for which tenant, including the refusals of keys and limits.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AuditCallerTests(PlatformFixture platform)
{
    private readonly AuditRows audit = new(platform);

    [Fact]
    public async Task Entries_name_the_key_and_its_tenant_and_refusals_are_recorded_too()
    {
        // A tenant of its own, with a key of a known id and a rate of three requests a minute.
        var (tenantCreated, tenantTrace) = await audit.SendTracedAsync(platform.AdminApi,
            new HttpRequestMessage(HttpMethod.Post, "/api/admin/tenants")
            {
                Content = JsonContent.Create(new { name = $"audited-{Guid.NewGuid():N}" }),
            });
        var tenantId = (await tenantCreated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var (keyCreated, keyTrace) = await audit.SendTracedAsync(platform.AdminApi,
            new HttpRequestMessage(HttpMethod.Post, "/api/admin/keys")
            {
                Content = JsonContent.Create(new { name = "audited key", role = "tenant", tenant_id = tenantId, requests_per_minute = 3 }),
            });
        var createdKey = await keyCreated.Content.ReadFromJsonAsync<JsonElement>();
        var keyId = createdKey.GetProperty("id").GetGuid();
        using var tenant = Sdp.Testing.TenantKeys.Client(platform.ApiUrl, createdKey.GetProperty("key").GetString()!);

        var tenantEntry = Assert.Single(await audit.ForRequestAsync(tenantTrace));
        Assert.Equal("tenant.create", tenantEntry.Action);
        Assert.Equal($"tenant:{tenantId}", tenantEntry.Target);
        Assert.NotNull(tenantEntry.ActorKeyId);
        var keyEntry = Assert.Single(await audit.ForRequestAsync(keyTrace));
        Assert.Equal("api_key.create", keyEntry.Action);
        Assert.Equal($"api_key:{keyId}", keyEntry.Target);

        // A tenant's own request: its key and its tenant.
        var (forbidden, forbiddenTrace) = await audit.SendTracedAsync(tenant,
            new HttpRequestMessage(HttpMethod.Post, "/api/admin/cleanup"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var forbiddenEntry = Assert.Single(await audit.ForRequestAsync(forbiddenTrace));
        Assert.Equal(keyId, forbiddenEntry.ActorKeyId);
        Assert.Equal(tenantId, forbiddenEntry.TenantId);
        Assert.Equal("admin.cleanup", forbiddenEntry.Action);
        Assert.Equal(403, forbiddenEntry.StatusCode);
        Assert.Equal("refused", forbiddenEntry.Outcome);

        // Over the key's rate: still recorded, with the key that was refused.
        for (var i = 0; i < 2; i++)
        {
            (await tenant.GetAsync("/api/deployments")).Dispose();
        }

        var (limited, limitedTrace) = await audit.SendTracedAsync(tenant,
            new HttpRequestMessage(HttpMethod.Delete, "/api/deployments/1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var limitedEntry = Assert.Single(await audit.ForRequestAsync(limitedTrace));
        Assert.Equal(429, limitedEntry.StatusCode);
        Assert.Equal(keyId, limitedEntry.ActorKeyId);

        // Without a key: recorded as anonymous.
        using var anonymous = new HttpClient { BaseAddress = platform.ApiUrl };
        var (unauthorized, unauthorizedTrace) = await audit.SendTracedAsync(anonymous,
            new HttpRequestMessage(HttpMethod.Delete, "/api/deployments/1"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        var unauthorizedEntry = Assert.Single(await audit.ForRequestAsync(unauthorizedTrace));
        Assert.Null(unauthorizedEntry.ActorKeyId);
        Assert.Null(unauthorizedEntry.TenantId);
        Assert.Equal("deployment.delete", unauthorizedEntry.Action);
        Assert.Equal(401, unauthorizedEntry.StatusCode);

        // The admin finds the tenant's entries through the API.
        var page = await platform.AdminApi.GetFromJsonAsync<JsonElement>($"/api/admin/audit?tenant_id={tenantId}");
        var actions = page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["deployment.delete", "admin.cleanup"], actions);

        // Revocation is recorded against the key.
        var (revoked, revokeTrace) = await audit.SendTracedAsync(platform.AdminApi,
            new HttpRequestMessage(HttpMethod.Delete, $"/api/admin/keys/{keyId}"));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var revokeEntry = Assert.Single(await audit.ForRequestAsync(revokeTrace));
        Assert.Equal("api_key.revoke", revokeEntry.Action);
        Assert.Equal($"api_key:{keyId}", revokeEntry.Target);
    }
}
