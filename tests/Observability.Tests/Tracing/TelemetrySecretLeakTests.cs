using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Dapper;
using Npgsql;
using Sdp.Observability.Tests.Infrastructure;

namespace Sdp.Observability.Tests.Tracing;

/// <summary>
/// The telemetry half of the secret scan (Platform.Tests' SecretLeakTests scans console logs, metrics and API
/// answers): a deploy, use and delete run with a fresh key, and a provisioning that fails at the database step,
/// leave none of their secrets in any span or structured log the Aspire dashboard holds.
/// </summary>
[Collection(ObservedPlatformCollection.Name)]
public sealed class TelemetrySecretLeakTests(ObservedPlatformFixture platform)
{
    [Fact]
    public async Task A_deploy_and_delete_run_leaves_no_secret_in_traces_or_structured_logs()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        var (_, key) = await Sdp.Testing.TenantKeys.CreateTenantAsync(platform.AdminApi, "telemetry secret scan", cancellationToken: ct);
        using var api = Sdp.Testing.TenantKeys.Client(platform.App.GetEndpoint("orchestrator-api", "http"), key);

        using var created = await api.PostAsJsonAsync("/api/deployments",
            new { problem_type = "url_shortener", design_text = "Base62 codes in PostgreSQL." }, ObservedPlatformFixture.Json, ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt64();
        var ready = await api.GetFromJsonAsync<JsonElement>($"/api/deployments/{id}?wait_for=ready&timeout_seconds=60", ct);
        Assert.Equal("ready", ready.GetProperty("state").GetString());
        var (databasePassword, redisPassword) = await CandidatePasswordsAsync(id, ct);
        using (var candidate = new HttpClient { BaseAddress = new Uri(ready.GetProperty("endpoint_url").GetString()!) })
        {
            (await candidate.PostAsJsonAsync("/api/urls", new { url = "https://example.com/a" }, ct)).Dispose();
        }

        (await api.DeleteAsync($"/api/deployments/{id}", ct)).Dispose();
        var deleted = await api.GetFromJsonAsync<JsonElement>($"/api/deployments/{id}?wait_for=deleted&timeout_seconds=60", ct);
        Assert.Equal("deleted", deleted.GetProperty("state").GetString());
        var doomed = await FailAtTheDatabaseStepAsync(ct);

        // Exports arrive in batches: wait until the removal's trace has reached the cleanup worker and the failed
        // provisioning's statement is in.
        var deletePath = $"/api/deployments/{id}";
        var spans = await ObservedPlatformFixture.WaitForAsync(() => platform.Telemetry.GetSpansAsync(null, ct), spans =>
        {
            var removal = spans.Where(s => s.Resource == "orchestrator-api" && s.Attributes.GetValueOrDefault("url.path") == deletePath
                && s.Attributes.GetValueOrDefault("http.request.method") == "DELETE").Select(s => s.TraceId).ToHashSet();
            return spans.Any(s => s.Resource == "cleanup-worker" && removal.Contains(s.TraceId))
                && spans.Any(s => Statement(s).Contains($"candidate_{doomed}", StringComparison.Ordinal));
        }, ct);
        var logs = await platform.Telemetry.GetLogsAsync(null, null, ct);

        // The scan saw this run: its provisioning trace, its candidate role, its log lines.
        var provisioning = Assert.Single(spans, s => s.Name == "provision deployment"
            && s.Attributes.GetValueOrDefault("sdp.deployment.id") == id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(spans, s => s.TraceId == provisioning.TraceId && Statement(s).Contains($"candidate_{id}", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Message.StartsWith($"Deployment {id} ready at", StringComparison.Ordinal));
        // What stands for a password in PostgreSQL: the statement that sets it is kept, the literal redacted.
        Assert.Contains(spans, s => Statement(s).Contains($"ALTER ROLE \"candidate_{id}\" PASSWORD '[redacted]'", StringComparison.Ordinal));

        var text = new StringBuilder();
        foreach (var span in spans)
        {
            text.AppendLine(span.Name).AppendLine(string.Join("\n", span.Attributes.Select(a => $"{a.Key}={a.Value}")));
        }

        foreach (var log in logs)
        {
            text.AppendLine(log.Message).AppendLine(string.Join("\n", log.Attributes.Select(a => $"{a.Key}={a.Value}")));
        }

        var scanned = text.ToString();
        var verifier = scanned.IndexOf("SCRAM-SHA-256$", StringComparison.Ordinal);
        Assert.True(verifier < 0, $"a SCRAM verifier leaked: …{scanned[Math.Max(0, verifier - 200)..Math.Min(scanned.Length, verifier + 40)]}…");
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
            var at = scanned.IndexOf(secret, StringComparison.Ordinal);
            Assert.True(at < 0, $"{what} leaked: …{scanned[Math.Max(0, at - 200)..Math.Min(scanned.Length, at + 40)]}…");
        }
    }

    private static string Statement(TelemetrySpan span) =>
        span.Attributes.GetValueOrDefault("db.query.text") ?? span.Attributes.GetValueOrDefault("db.statement") ?? "";

    /// <summary>The passwords the provisioner gave the candidate's service, read from its (Simulator) container env.</summary>
    private async Task<(string Database, string Redis)> CandidatePasswordsAsync(long id, CancellationToken cancellationToken)
    {
        using var simulator = new HttpClient { BaseAddress = platform.App.GetEndpoint("simulator", "http") };
        var service = await simulator.GetFromJsonAsync<JsonElement>(
            $"/v2/projects/sdp-local/locations/local/services/sdp-sub-{id}", cancellationToken);
        var env = service.GetProperty("template").GetProperty("containers")[0].GetProperty("env").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString()!);
        var redisPassword = env["ConnectionStrings__redis"].Split(',')
            .Select(part => part.Trim()).First(part => part.StartsWith("password=", StringComparison.Ordinal))["password=".Length..];
        return (new NpgsqlConnectionStringBuilder(env["ConnectionStrings__database"]).Password!, redisPassword);
    }

    /// <summary>
    /// A deployment whose database step fails (its role name is taken), requested through the outbox as the API
    /// would: PostgreSQL reports a failing statement's text, which must not carry the password either.
    /// </summary>
    private async Task<long> FailAtTheDatabaseStepAsync(CancellationToken cancellationToken)
    {
        long doomed;
        await using (var connection = await platform.PlatformDatabase.OpenConnectionAsync(cancellationToken))
        {
            doomed = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO platform.deployments (tenant_id, problem_type, design_text, state, created_at, queued_at, updated_at)
                VALUES (@tenant, 'url_shortener', 'doomed', 'queued', now(), now(), now())
                RETURNING id
                """, new { tenant = platform.TenantId }, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition($"CREATE ROLE candidate_{doomed} NOLOGIN", cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO platform.outbox (message_type, payload, created_at)
                VALUES ('DeploymentRequested', jsonb_build_object('DeploymentId', @doomed, 'ProblemType', 'url_shortener', 'RequestedAt', now()),
                        now() - interval '10 seconds')
                """, new { doomed }, cancellationToken: cancellationToken));
        }

        var failed = await platform.Api.GetFromJsonAsync<JsonElement>(
            $"/api/deployments/{doomed}?wait_for=failed&timeout_seconds=60", cancellationToken);
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        return doomed;
    }
}
