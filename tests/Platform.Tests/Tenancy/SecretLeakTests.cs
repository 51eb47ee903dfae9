using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Sdp.Platform.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sdp.Platform.Tests.Tenancy;

/// <summary>
/// A full deploy-and-delete run with a fresh key: none of the secrets it involves — the API keys, the candidate's
/// database and Redis passwords — appears in any service's console log, structured log, trace attribute, metric or
/// API response.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SecretLeakTests(PlatformFixture platform)
{
    private static readonly TimeSpan TelemetryTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_deploy_and_delete_run_leaves_no_secret_in_logs_traces_metrics_or_responses()
    {
        var captured = new StringBuilder();

        // A fresh key: its creation response is the one place its secret may appear.
        using var created = await platform.AdminApi.PostAsJsonAsync("/api/admin/keys",
            new { name = "secret scan", role = "tenant", tenant_id = platform.TenantId }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var createdKey = await created.Content.ReadFromJsonAsync<JsonElement>();
        var key = createdKey.GetProperty("key").GetString()!;
        var keyId = createdKey.GetProperty("id").GetGuid();
        using var api = Sdp.Testing.TenantKeys.Client(platform.ApiUrl, key);

        async Task<JsonElement> CaptureAsync(HttpResponseMessage response)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync();
                captured.AppendLine(response.Headers.ToString()).AppendLine(body);
                return body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : default;
            }
        }

        var deployment = await CaptureAsync(await api.PostAsJsonAsync("/api/deployments",
            new { problem_type = "url_shortener", design_text = "Base62 codes in PostgreSQL." }, PlatformFixture.Json));
        var id = deployment.GetProperty("id").GetInt64();
        var ready = await CaptureAsync(await api.GetAsync($"/api/deployments/{id}?wait_for=ready&timeout_seconds=60"));
        Assert.Equal("ready", ready.GetProperty("state").GetString());

        var credentials = await new PlatformClient(platform, api).GetCredentialsAsync(id);
        var databasePassword = new NpgsqlConnectionStringBuilder(credentials.Database).Password!;
        var redisPassword = ConfigurationOptions.Parse(credentials.Redis).Password!;

        // Use the candidate's service, so its own connections run too.
        using (var candidate = new HttpClient { BaseAddress = new Uri(ready.GetProperty("endpoint_url").GetString()!) })
        {
            await CaptureAsync(await candidate.PostAsJsonAsync("/api/urls", new { url = "https://example.com/a" }));
        }

        var run = await CaptureAsync(await api.PostAsJsonAsync($"/api/deployments/{id}/scenarios",
            new { load = new { requests_per_second = 5, duration_seconds = 1, concurrency = 1 } }, PlatformFixture.Json));
        await WaitForRunAsync(api, id, run.GetProperty("id").GetInt64(), CaptureAsync);
        await CaptureAsync(await api.GetAsync("/api/deployments?limit=5"));
        await CaptureAsync(await api.DeleteAsync($"/api/deployments/{id}"));
        var deleted = await CaptureAsync(await api.GetAsync($"/api/deployments/{id}?wait_for=deleted&timeout_seconds=60"));
        Assert.Equal("deleted", deleted.GetProperty("state").GetString());

        // A provisioning that fails at the database step: PostgreSQL logs a failing statement's text.
        long doomed;
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync())
        {
            doomed = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO platform.deployments (tenant_id, problem_type, design_text, state, created_at, queued_at, updated_at)
                VALUES (@tenant, 'url_shortener', 'doomed', 'queued', now(), now(), now())
                RETURNING id
                """, new { tenant = platform.TenantId });
            await connection.ExecuteAsync($"CREATE ROLE candidate_{doomed} NOLOGIN");
        }

        await using (var bus = await TestBus.StartAsync(platform.MessagingConnectionString))
        {
            await bus.PublishAsync(new Sdp.Contracts.DeploymentRequested(doomed, "url_shortener", DateTimeOffset.UtcNow));
        }

        var failed = await CaptureAsync(await api.GetAsync($"/api/deployments/{doomed}?wait_for=failed&timeout_seconds=60"));
        Assert.Equal("failed", failed.GetProperty("state").GetString());

        // Refusals name the problem, never the key.
        await CaptureAsync(await platform.AdminApi.DeleteAsync($"/api/admin/keys/{keyId}"));
        await CaptureAsync(await api.GetAsync("/api/deployments"));
        await CaptureAsync(await platform.AdminApi.GetAsync($"/api/admin/keys?tenant_id={platform.TenantId}"));

        // Telemetry is exported in batches: wait until this run's removal has reached the host.
        using var dashboard = new HttpClient { BaseAddress = platform.App.DashboardUrl };
        var traces = await WaitForTracesAsync(dashboard, id);
        foreach (var trace in traces)
        {
            captured.AppendLine(await dashboard.GetStringAsync($"/api/traces/{trace}"));
        }

        captured.AppendLine(await dashboard.GetStringAsync("/api/logs?limit=5000"));
        foreach (var resource in platform.App.Resources)
        {
            foreach (var line in platform.App.ResourceLogs.GetLines(resource.Name))
            {
                captured.AppendLine(line.Text);
            }
        }

        foreach (var project in new[] { "orchestrator-api", "provisioner-worker", "cleanup-worker", "simulator" })
        {
            using var http = new HttpClient();
            captured.AppendLine(await http.GetStringAsync(new Uri(platform.App.GetEndpoint(project), "/metrics")));
        }

        var text = captured.ToString();
        // The scan saw this run: its deployment, its candidate role and its traces are in what was captured.
        Assert.Contains($"candidate_{id}", text, StringComparison.Ordinal);
        Assert.Contains("provision deployment", text, StringComparison.Ordinal);

        var secrets = new Dictionary<string, string>
        {
            ["the tenant key"] = key,
            ["the tenant key without its prefix"] = key[Sdp.Testing.TenantKeys.SecretPrefix.Length..],
            ["the admin key"] = platform.AdminKey,
            ["the candidate's database password"] = databasePassword,
            ["the candidate's Redis password"] = redisPassword,
        };
        // Nor what stands for a password in PostgreSQL: a role's SCRAM verifier lets a server impersonate it. The
        // statement's span is kept, with the literal redacted.
        Assert.Contains($"ALTER ROLE \\u0022candidate_{id}\\u0022 PASSWORD \\u0027[redacted]\\u0027", text,
            StringComparison.Ordinal);
        var verifier = text.IndexOf("SCRAM-SHA-256$", StringComparison.Ordinal);
        Assert.True(verifier < 0, $"a SCRAM verifier leaked: …{text[Math.Max(0, verifier - 200)..Math.Min(text.Length, verifier + 40)]}…");

        foreach (var (what, secret) in secrets)
        {
            Assert.True(secret.Length >= 16, $"{what} is too short to be a real secret");
            var at = text.IndexOf(secret, StringComparison.Ordinal);
            Assert.True(at < 0, $"{what} leaked: …{text[Math.Max(0, at - 200)..Math.Min(text.Length, at + 40)]}…");
        }
    }

    private static async Task WaitForRunAsync(HttpClient api, long deploymentId, long runId,
        Func<HttpResponseMessage, Task<JsonElement>> capture)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var run = await capture(await api.GetAsync($"/api/deployments/{deploymentId}/scenarios/{runId}", timeout.Token));
            if (run.GetProperty("state").GetString() == "completed")
            {
                return;
            }

            await Task.Delay(250, timeout.Token);
        }
    }

    /// <summary>The ids of the deployment's traces, once one of them includes the cleanup worker's removal.</summary>
    private static async Task<IReadOnlyList<string>> WaitForTracesAsync(HttpClient dashboard, long deploymentId)
    {
        using var timeout = new CancellationTokenSource(TelemetryTimeout);
        while (true)
        {
            var traces = await dashboard.GetFromJsonAsync<JsonElement>($"/api/traces?deployment_id={deploymentId}&limit=100",
                timeout.Token);
            var ids = traces.EnumerateArray().Select(t => t.GetProperty("trace_id").GetString()!).ToList();
            if (traces.EnumerateArray().Any(t => t.GetProperty("resources").EnumerateArray()
                    .Any(r => r.GetString() == "cleanup-worker")))
            {
                return ids;
            }

            await Task.Delay(500, timeout.Token);
        }
    }
}
