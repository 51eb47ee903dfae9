using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sdp.Platform.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sdp.Platform.Tests.Tenancy;

/// <summary>
/// A full deploy-and-delete run with a fresh key: none of the secrets it involves — the API keys, the candidate's
/// database and Redis passwords, a role's SCRAM verifier — appears in any resource's console log, any service's
/// metrics or any API response. Traces and structured logs go to the Aspire dashboard, which this platform runs
/// without: Observability.Tests scans those (TelemetrySecretLeakTests), on a platform with the dashboard.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SecretLeakTests(PlatformFixture platform)
{
    private static readonly string[] Projects = ["orchestrator-api", "provisioner-worker", "cleanup-worker", "simulator", "scenario-runner"];

    [Fact]
    public async Task A_deploy_and_delete_run_leaves_no_secret_in_console_logs_metrics_or_responses()
    {
        var captured = new StringBuilder();
        // Every resource's console, from its start (Aspire replays what it has) to the end of the run.
        await using var consoles = ConsoleCapture.Start(platform.App);

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

        var metrics = new StringBuilder();
        foreach (var project in Projects)
        {
            using var http = new HttpClient();
            metrics.AppendLine(await http.GetStringAsync(new Uri(platform.App.GetEndpoint(project, "http"), "/metrics")));
        }

        // Console lines arrive a little after they are written: wait until this run's last ones are in.
        var readyLine = $"Deployment {id} ready at";
        var failedRole = $"candidate_{doomed}";
        var console = await consoles.WaitForAsync(text => HasLine(text, "provisioner-worker", readyLine)
            && HasLine(text, "postgres", failedRole), TimeSpan.FromSeconds(30));

        // The scan saw this run: the provisioner's console has the deployment, PostgreSQL's the failed statement's
        // role, the metrics the deployments the provisioner completed, and the answers the candidate's schema.
        Assert.True(HasLine(console, "provisioner-worker", readyLine), $"provisioner-worker's console lacks '{readyLine}'");
        Assert.True(HasLine(console, "postgres", failedRole), $"postgres's console lacks '{failedRole}'");
        Assert.Contains("sdp_deployments_completed_total{", metrics.ToString(), StringComparison.Ordinal);
        Assert.Contains($"candidate_{id}", captured.ToString(), StringComparison.Ordinal);
        var text = string.Join("\n", captured, metrics, console);

        // Nor what stands for a password in PostgreSQL: a role's SCRAM verifier lets a server impersonate it.
        var verifier = text.IndexOf("SCRAM-SHA-256$", StringComparison.Ordinal);
        Assert.True(verifier < 0, $"a SCRAM verifier leaked: …{text[Math.Max(0, verifier - 200)..Math.Min(text.Length, verifier + 40)]}…");
        var secrets = new Dictionary<string, string>
        {
            ["the tenant key"] = key,
            ["the tenant key without its prefix"] = key[Sdp.Testing.TenantKeys.SecretPrefix.Length..],
            ["the admin key"] = platform.AdminKey,
            ["the admin key without its prefix"] = platform.AdminKey[Sdp.Testing.TenantKeys.SecretPrefix.Length..],
            ["the candidate's database password"] = databasePassword,
            ["the candidate's Redis password"] = redisPassword,
        };
        foreach (var (what, secret) in secrets)
        {
            Assert.True(secret.Length >= 16, $"{what} is too short to be a real secret");
            var at = text.IndexOf(secret, StringComparison.Ordinal);
            Assert.True(at < 0, $"{what} leaked: …{text[Math.Max(0, at - 200)..Math.Min(text.Length, at + 40)]}…");
        }
    }

    private static bool HasLine(string console, string resource, string fragment) =>
        console.Split('\n').Any(line => line.StartsWith($"[{resource}] ", StringComparison.Ordinal)
            && line.Contains(fragment, StringComparison.Ordinal));

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

    /// <summary>
    /// Every resource's console log through Aspire's <see cref="ResourceLoggerService"/>, one watch per resource, each
    /// line tagged with its resource.
    /// </summary>
    private sealed class ConsoleCapture : IAsyncDisposable
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _watches = [];

        public static ConsoleCapture Start(DistributedApplication app)
        {
            var capture = new ConsoleCapture();
            var logs = app.Services.GetRequiredService<ResourceLoggerService>();
            foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources
                .Where(r => r is not ParameterResource))
            {
                capture._watches.Add(capture.WatchAsync(logs, resource));
            }

            return capture;
        }

        /// <summary>What was captured, once <paramref name="complete"/> holds for it or <paramref name="timeout"/> passes.</summary>
        public async Task<string> WaitForAsync(Func<string, bool> complete, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!complete(Text) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            return Text;
        }

        private string Text => string.Join("\n", _lines);

        private async Task WatchAsync(ResourceLoggerService logs, IResource resource)
        {
            try
            {
                await foreach (var batch in logs.WatchAsync(resource).WithCancellation(_stop.Token))
                {
                    foreach (var line in batch)
                    {
                        _lines.Enqueue($"[{resource.Name}] {line.Content}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The capture ends.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_watches);
            _stop.Dispose();
        }
    }
}
