using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sdp.Testing;

/// <summary>
/// How a test or benchmark gets keys on a platform the AppHost started: the admin key the AppHost saved in its
/// state folder, and a tenant of its own with quotas high enough not to get in the way.
/// </summary>
public static class TenantKeys
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>How every key this API hands out begins.</summary>
    public const string SecretPrefix = "sdp_";

    /// <summary>Where the AppHost keeps the first admin key.</summary>
    public static string AdminKeyPath(string stateDirectory) =>
        Path.Combine(stateDirectory, "orchestrator-api", "admin-api-key");

    public static string ReadAdminKey(string stateDirectory) => File.ReadAllText(AdminKeyPath(stateDirectory)).Trim();

    public static HttpClient Client(Uri baseAddress, string key)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Creates a tenant (name made unique) and a tenant key for it; returns the tenant's id and the key.</summary>
    public static async Task<(Guid TenantId, string Key)> CreateTenantAsync(HttpClient admin, string name,
        object? quotas = null, int? requestsPerMinute = 1_000_000, CancellationToken cancellationToken = default)
    {
        using var tenantResponse = await admin.PostAsJsonAsync("/api/admin/tenants", new
        {
            name = $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 9, 100)],
            quotas = quotas ?? new { max_live_deployments = 100_000, max_deployments_per_hour = 1_000_000, max_scenario_runs_in_flight = 1_000 },
        }, Json, cancellationToken);
        tenantResponse.EnsureSuccessStatusCode();
        var tenant = await tenantResponse.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var tenantId = tenant.GetProperty("id").GetGuid();

        using var keyResponse = await admin.PostAsJsonAsync("/api/admin/keys", new
        {
            name = $"{name} key",
            role = "tenant",
            tenant_id = tenantId,
            requests_per_minute = requestsPerMinute,
        }, Json, cancellationToken);
        keyResponse.EnsureSuccessStatusCode();
        var key = await keyResponse.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return (tenantId, key.GetProperty("key").GetString()!);
    }
}
