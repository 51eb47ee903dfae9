using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Tenancy;

/// <summary>Admins create tenants and keys; bad requests get problem details and create nothing.</summary>
[Collection(PlatformCollection.Name)]
public sealed class TenantAdministrationTests(PlatformFixture platform)
{
    private readonly ResourceProbe probe = new(platform);

    [Fact]
    public async Task A_tenant_is_created_listed_and_its_name_is_unique()
    {
        var name = $"acme-{Guid.NewGuid():N}";
        using var created = await platform.AdminApi.PostAsJsonAsync("/api/admin/tenants",
            new { name, quotas = new { max_live_deployments = 7 } }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var tenant = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = tenant.GetProperty("id").GetGuid();
        Assert.Equal($"/api/admin/tenants/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(7, tenant.GetProperty("quotas").GetProperty("max_live_deployments").GetInt32());

        var list = await platform.AdminApi.GetFromJsonAsync<JsonElement>("/api/admin/tenants");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);

        var before = await probe.CountAsync("SELECT count(*) FROM platform.tenants");
        using var duplicate = await platform.AdminApi.PostAsJsonAsync("/api/admin/tenants", new { name }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(before, await probe.CountAsync("SELECT count(*) FROM platform.tenants"));
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "tenant without a name", "/api/admin/tenants", """{"quotas":{}}""" },
        { "tenant with a zero quota", "/api/admin/tenants", """{"name":"zero","quotas":{"max_live_deployments":0}}""" },
        { "tenant with an unknown field", "/api/admin/tenants", """{"name":"x","colour":"red"}""" },
        { "tenant key without a tenant", "/api/admin/keys", """{"name":"k","role":"tenant"}""" },
        { "key for a tenant that does not exist", "/api/admin/keys", """{"name":"k","tenant_id":"00000000-0000-0000-0000-000000000001"}""" },
        { "admin key with a tenant", "/api/admin/keys", """{"name":"k","role":"admin","tenant_id":"00000000-0000-0000-0000-000000000001"}""" },
        { "key with an unknown role", "/api/admin/keys", """{"name":"k","role":"root"}""" },
        { "key with a zero rate", "/api/admin/keys", """{"name":"k","role":"admin","requests_per_minute":0}""" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_admin_request_gets_400_and_creates_nothing(string because, string path, string body)
    {
        var tenantsBefore = await probe.CountAsync("SELECT count(*) FROM platform.tenants");
        var keysBefore = await probe.CountAsync("SELECT count(*) FROM platform.api_keys");
        using var response = await platform.AdminApi.PostAsync(path,
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(tenantsBefore, await probe.CountAsync("SELECT count(*) FROM platform.tenants"));
        Assert.Equal(keysBefore, await probe.CountAsync("SELECT count(*) FROM platform.api_keys"));
    }

    [Fact]
    public async Task A_new_admin_key_can_administer_and_revoking_an_unknown_key_is_404()
    {
        using var created = await platform.AdminApi.PostAsJsonAsync("/api/admin/keys",
            new { name = "second admin", role = "admin" }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var admin = Sdp.Testing.TenantKeys.Client(platform.ApiUrl, key);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/tenants")).StatusCode);

        using var missing = await admin.DeleteAsync($"/api/admin/keys/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
