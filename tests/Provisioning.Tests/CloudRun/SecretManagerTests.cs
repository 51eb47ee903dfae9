using System.Text;
using System.Text.Json.Nodes;
using Sdp.Provisioning.Tests.Infrastructure;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>With <c>CloudRun:SecretMode=SecretManager</c> credentials live in Secret Manager, never in the Service.</summary>
public sealed class SecretManagerTests
{
    private static readonly Dictionary<string, string?> SecretManagerMode = new() { ["CloudRun:SecretMode"] = "SecretManager" };

    [Fact]
    public async Task Deploy_stores_both_credentials_before_creating_the_service()
    {
        await using var harness = new FakeGoogleTargetHarness(SecretManagerMode);

        await harness.Target.DeployAsync(FakeGoogleTargetHarness.Spec(7), CancellationToken.None);

        var calls = harness.Google.Requests.Where(r => r.Method == HttpMethod.Post)
            .Select(r => r.Uri.PathAndQuery).ToList();
        Assert.Equal(
        [
            "/v1/projects/sdp-prod/secrets?secretId=sdp-sub-7-database",
            "/v1/projects/sdp-prod/secrets/sdp-sub-7-database:addVersion",
            "/v1/projects/sdp-prod/secrets?secretId=sdp-sub-7-redis",
            "/v1/projects/sdp-prod/secrets/sdp-sub-7-redis:addVersion",
            "/v2/projects/sdp-prod/locations/europe-west1/services?serviceId=sdp-sub-7",
        ], calls);

        var create = JsonNode.Parse(harness.Google.Requests.First(r => r.Uri.Query == "?secretId=sdp-sub-7-database").Body!)!;
        Assert.NotNull(create["replication"]!["automatic"]);
        Assert.Equal("sdp", (string?)create["labels"]!["managed-by"]);
        Assert.Equal("7", (string?)create["labels"]!["sdp-deployment-id"]);

        var version = JsonNode.Parse(harness.Google.Requests.First(r => r.Uri.AbsolutePath.EndsWith("database:addVersion", StringComparison.Ordinal)).Body!)!;
        var stored = Encoding.UTF8.GetString(Convert.FromBase64String((string)version["payload"]!["data"]!));
        Assert.Equal(FakeGoogleTargetHarness.Spec(7).Environment["ConnectionStrings__database"], stored);
    }

    [Fact]
    public async Task The_service_carries_secret_references_and_no_credential()
    {
        await using var harness = new FakeGoogleTargetHarness(SecretManagerMode);
        var spec = FakeGoogleTargetHarness.Spec(8);

        await harness.Target.DeployAsync(spec, CancellationToken.None);

        var body = harness.Google.CreatedService.ToJsonString();
        Assert.DoesNotContain("secret-8", body, StringComparison.Ordinal);
        Assert.DoesNotContain("password", body, StringComparison.OrdinalIgnoreCase);
        var env = harness.Google.CreatedService["template"]!["containers"]![0]!["env"]!.AsArray();
        var database = env.Single(v => (string?)v!["name"] == "ConnectionStrings__database")!;
        Assert.Null(database["value"]);
        Assert.Equal("projects/sdp-prod/secrets/sdp-sub-8-database", (string?)database["valueSource"]!["secretKeyRef"]!["secret"]);
        Assert.Equal("latest", (string?)database["valueSource"]!["secretKeyRef"]!["version"]);
        Assert.Equal("sub:8:", (string?)env.Single(v => (string?)v!["name"] == "REDIS_KEY_PREFIX")!["value"]);
    }

    [Fact]
    public async Task A_secret_left_by_an_earlier_attempt_is_adopted_with_a_new_version()
    {
        await using var harness = new FakeGoogleTargetHarness(SecretManagerMode);
        harness.Google.ExistingSecrets.Add("sdp-sub-9-database");

        var deployed = await harness.Target.DeployAsync(FakeGoogleTargetHarness.Spec(9), CancellationToken.None);

        Assert.Equal("sdp-sub-9", deployed.ServiceId);
        Assert.Contains(harness.Google.Requests, r => r.Uri.AbsolutePath == "/v1/projects/sdp-prod/secrets/sdp-sub-9-database:addVersion");
    }

    [Fact]
    public async Task Remove_deletes_the_service_then_its_secrets_and_treats_missing_ones_as_done()
    {
        await using var harness = new FakeGoogleTargetHarness(SecretManagerMode);
        harness.Google.ExistingSecrets.Add("sdp-sub-10-database");

        Assert.True(await harness.Target.RemoveAsync("sdp-sub-10", CancellationToken.None));

        var deletes = harness.Google.Requests.Where(r => r.Method == HttpMethod.Delete).Select(r => r.Uri.AbsolutePath).ToList();
        Assert.Equal(
        [
            "/v2/projects/sdp-prod/locations/europe-west1/services/sdp-sub-10",
            "/v1/projects/sdp-prod/secrets/sdp-sub-10-database",
            "/v1/projects/sdp-prod/secrets/sdp-sub-10-redis",
        ], deletes);
    }

    [Fact]
    public async Task In_plain_environment_mode_values_are_plain_and_secret_manager_is_not_called()
    {
        await using var harness = new FakeGoogleTargetHarness();
        var spec = FakeGoogleTargetHarness.Spec(11);

        await harness.Target.DeployAsync(spec, CancellationToken.None);
        await harness.Target.RemoveAsync(spec.ServiceId, CancellationToken.None);

        Assert.DoesNotContain(harness.Google.Requests, r => r.Uri.AbsolutePath.StartsWith("/v1/", StringComparison.Ordinal));
        var env = harness.Google.CreatedService["template"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Equal(spec.Environment["ConnectionStrings__redis"],
            (string?)env.Single(v => (string?)v!["name"] == "ConnectionStrings__redis")!["value"]);
        Assert.All(env, v => Assert.Null(v!["valueSource"]));
    }

    [Fact]
    public async Task Secret_manager_unavailable_is_retried_like_cloud_run()
    {
        await using var harness = new FakeGoogleTargetHarness(new Dictionary<string, string?>(SecretManagerMode)
        {
            ["CloudRun:RetryBaseDelay"] = "00:00:00.010",
        });
        harness.Google.SecretManagerUnavailable = 2;

        await harness.Target.DeployAsync(FakeGoogleTargetHarness.Spec(21), CancellationToken.None);

        var creates = harness.Google.Requests.Count(r => r.Uri.Query == "?secretId=sdp-sub-21-database");
        Assert.Equal(3, creates);
        Assert.Single(harness.Google.Requests, r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/services", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Secret_manager_permission_denied_fails_the_deploy_at_once_without_creating_the_service()
    {
        await using var harness = new FakeGoogleTargetHarness(SecretManagerMode);
        harness.Google.SecretManagerDenied = true;

        await Assert.ThrowsAnyAsync<Exception>(() => harness.Target.DeployAsync(FakeGoogleTargetHarness.Spec(22), CancellationToken.None));

        // Not retried: one request to Secret Manager, and no service created.
        Assert.Single(harness.Google.Requests, r => r.Uri.Host == "secretmanager.googleapis.com");
        Assert.DoesNotContain(harness.Google.Requests, r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/services", StringComparison.Ordinal));
    }
}
