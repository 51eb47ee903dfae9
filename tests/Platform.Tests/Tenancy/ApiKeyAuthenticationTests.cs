using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Tenancy;

/// <summary>Nobody uses the API without a valid key; probes stay open; the key's secret is never stored.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ApiKeyAuthenticationTests(PlatformFixture platform)
{
    private readonly ResourceProbe probe = new(platform);

    private const string DeployBody = """{"problem_type":"url_shortener","design_text":"Base62 codes."}""";

    public static TheoryData<string, string?, string?> BadCredentials => new()
    {
        { "no key at all", null, null },
        { "Basic instead of Bearer", "Basic dXNlcjpwYXNz", null },
        { "Bearer without a key", "Bearer", null },
        { "Bearer with blanks only", "Bearer    ", null },
        { "not an Sdp key", "Bearer abc.def.ghi", null },
        { "a well-formed key nobody issued", "Bearer sdp_" + new string('A', 43), null },
        { "an unknown key in X-Api-Key", null, "sdp_" + new string('B', 43) },
        { "an oversized key", null, "sdp_" + new string('C', 5000) },
    };

    [Theory]
    [MemberData(nameof(BadCredentials))]
    public async Task A_request_without_a_valid_key_gets_401_problem_details_and_creates_nothing(string because,
        string? authorization, string? apiKey)
    {
        var deploymentsBefore = await probe.CountAsync("SELECT count(*) FROM platform.deployments");
        var outboxBefore = await probe.CountAsync("SELECT count(*) FROM platform.outbox");
        using var http = new HttpClient { BaseAddress = platform.ApiUrl };

        foreach (var (method, path) in new[] { ("POST", "/api/deployments"), ("GET", "/api/deployments"),
                     ("GET", "/api/templates"), ("GET", "/api/admin/tenants"), ("DELETE", "/api/deployments/1") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = new StringContent(DeployBody, Encoding.UTF8, "application/json");
            }

            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            if (apiKey is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
            }

            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{because}: {method} {path} answered {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(detail));
            // The error names what is wrong, never the key that was sent.
            if (authorization is { Length: > 20 } sent)
            {
                Assert.DoesNotContain(sent[7..], detail, StringComparison.Ordinal);
            }

            if (apiKey is not null)
            {
                Assert.DoesNotContain(apiKey, detail, StringComparison.Ordinal);
            }
        }

        Assert.Equal(deploymentsBefore, await probe.CountAsync("SELECT count(*) FROM platform.deployments"));
        Assert.Equal(outboxBefore, await probe.CountAsync("SELECT count(*) FROM platform.outbox"));
    }

    [Fact]
    public async Task A_key_works_in_either_header_but_not_in_both()
    {
        var key = await NewKeyAsync();
        using var http = new HttpClient { BaseAddress = platform.ApiUrl };

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/deployments");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer)).StatusCode);

        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/deployments");
        header.Headers.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(header)).StatusCode);

        using var both = new HttpRequestMessage(HttpMethod.Get, "/api/deployments");
        both.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        both.Headers.Add("X-Api-Key", key);
        using var refused = await http.SendAsync(both);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("not both", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_revoked_key_is_refused_from_the_next_request_on()
    {
        var (keyId, key) = await NewKeyWithIdAsync();
        using var tenant = Sdp.Testing.TenantKeys.Client(platform.ApiUrl, key);
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("/api/deployments")).StatusCode);

        using var revoke = await platform.AdminApi.DeleteAsync($"/api/admin/keys/{keyId}");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.NotNull((await revoke.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked_at").GetString());

        using var refused = await tenant.GetAsync("/api/deployments");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("revoked", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_key_is_refused_once_it_expires_though_it_was_used_just_before()
    {
        // Used while valid, so the Orchestrator remembers it: expiry must still hold from the first moment past it.
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var (_, key) = await NewKeyWithIdAsync(expiresAt: expiresAt);
        using var tenant = Sdp.Testing.TenantKeys.Client(platform.ApiUrl, key);
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("/api/deployments")).StatusCode);

        var left = expiresAt - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left + TimeSpan.FromMilliseconds(50));
        }

        using var refused = await tenant.GetAsync("/api/deployments");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("expired", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_key_changed_in_the_database_by_another_replica_is_refused_within_moments()
    {
        var (keyId, key) = await NewKeyWithIdAsync();
        using var tenant = Sdp.Testing.TenantKeys.Client(platform.ApiUrl, key);
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("/api/deployments")).StatusCode);

        // What another replica's revocation does: a change in the table, not through this replica.
        await using (var command = platform.PlatformDatabase.CreateCommand(
            "UPDATE platform.api_keys SET revoked_at = now() WHERE id = $1"))
        {
            command.Parameters.AddWithValue(keyId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        // The change reaches every replica as a notification, in milliseconds; remembered keys last a minute.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(5);
        HttpStatusCode status;
        do
        {
            using var response = await tenant.GetAsync("/api/deployments");
            status = response.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                Assert.Contains("revoked", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
                break;
            }

            await Task.Delay(20);
        }
        while (DateTimeOffset.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_key_cannot_be_created_already_expired()
    {
        using var response = await platform.AdminApi.PostAsJsonAsync("/api/admin/keys",
            new { name = "stale", role = "tenant", tenant_id = platform.TenantId, expires_at = DateTimeOffset.UtcNow.AddMinutes(-1) },
            PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("expires_at", out _));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task Probes_metrics_and_the_api_description_need_no_key(string path)
    {
        using var http = new HttpClient { BaseAddress = platform.ApiUrl };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_api_description_says_how_to_send_the_key()
    {
        using var http = new HttpClient { BaseAddress = platform.ApiUrl };
        var document = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("ApiKey").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("X-Api-Key").GetProperty("name").GetString());
        Assert.Equal(2, document.GetProperty("security").GetArrayLength());
    }

    [Fact]
    public async Task Only_the_secrets_hash_is_stored_and_it_is_shown_once()
    {
        var (keyId, key) = await NewKeyWithIdAsync();
        Assert.StartsWith("sdp_", key, StringComparison.Ordinal);

        await using (var command = platform.PlatformDatabase.CreateCommand(
            "SELECT secret_sha256, row_to_json(k)::text FROM platform.api_keys k WHERE id = $1"))
        {
            command.Parameters.AddWithValue(keyId);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)), (byte[])reader[0]);
            Assert.DoesNotContain(key, reader.GetString(1), StringComparison.Ordinal);
        }

        var listed = await platform.AdminApi.GetStringAsync($"/api/admin/keys?tenant_id={platform.TenantId}");
        Assert.Contains(keyId.ToString(), listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/admin/tenants")]
    [InlineData("POST", "/api/admin/tenants")]
    [InlineData("GET", "/api/admin/keys")]
    [InlineData("POST", "/api/admin/keys")]
    [InlineData("DELETE", "/api/admin/keys/00000000-0000-0000-0000-000000000001")]
    [InlineData("POST", "/api/admin/cleanup")]
    [InlineData("GET", "/api/admin/orphans")]
    public async Task A_tenant_key_is_forbidden_the_admin_endpoints(string method, string path)
    {
        var tenantsBefore = await probe.CountAsync("SELECT count(*) FROM platform.tenants");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"name":"sneaky"}""", Encoding.UTF8, "application/json");
        }

        using var response = await platform.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(tenantsBefore, await probe.CountAsync("SELECT count(*) FROM platform.tenants"));
    }

    [Fact]
    public async Task An_admin_key_cannot_start_a_deployment_but_sees_every_tenants()
    {
        var deploymentsBefore = await probe.CountAsync("SELECT count(*) FROM platform.deployments");
        using var refused = await platform.AdminApi.PostAsync("/api/deployments",
            new StringContent(DeployBody, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("tenant key", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(deploymentsBefore, await probe.CountAsync("SELECT count(*) FROM platform.deployments"));

        var own = await new PlatformClient(platform).DeployAsync();
        using var seen = await platform.AdminApi.GetAsync($"/api/deployments/{own.Id}");
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        Assert.Equal(platform.TenantId, (await seen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenant_id").GetGuid());
        await new PlatformClient(platform).DeleteAsync(own.Id);
    }

    private async Task<string> NewKeyAsync() => (await NewKeyWithIdAsync()).Key;

    private async Task<(Guid Id, string Key)> NewKeyWithIdAsync(DateTimeOffset? expiresAt = null)
    {
        using var response = await platform.AdminApi.PostAsJsonAsync("/api/admin/keys",
            new { name = "auth test", role = "tenant", tenant_id = platform.TenantId, expires_at = expiresAt },
            PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetGuid(), created.GetProperty("key").GetString()!);
    }
}
