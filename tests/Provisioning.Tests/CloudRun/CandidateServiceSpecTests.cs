using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Tests.Infrastructure;
using Sdp.Simulator.Tests.Infrastructure;

namespace Sdp.Provisioning.Tests.CloudRun;

/// <summary>The Service a candidate gets from <c>CloudRun:ServiceDefaults</c> and <c>CloudRun:Templates:*</c>.</summary>
public sealed class CandidateServiceSpecTests
{
    /// <summary>Everything a production set-up configures, with credentials in Secret Manager.</summary>
    public static Dictionary<string, string?> ProductionSettings() => new()
    {
        ["CloudRun:SecretMode"] = "SecretManager",
        ["CloudRun:ServiceDefaults:ServiceAccount"] = "sdp-candidate@sdp-prod.iam.gserviceaccount.com",
        ["CloudRun:ServiceDefaults:Public"] = "false",
        ["CloudRun:ServiceDefaults:Ingress"] = "INGRESS_TRAFFIC_ALL",
        ["CloudRun:ServiceDefaults:CloudSqlInstances:0"] = "sdp-prod:europe-west1:sdp-postgres",
        ["CloudRun:ServiceDefaults:VpcNetwork"] = "default",
        ["CloudRun:ServiceDefaults:VpcSubnetwork"] = "sdp-candidates",
        ["CloudRun:ServiceDefaults:Labels:environment"] = "production",
        ["CloudRun:ServiceDefaults:Labels:team"] = "infra",
        ["CloudRun:Templates:url-shortener:Image"] = "europe-west1-docker.pkg.dev/sdp-prod/sdp/url-shortener:1.0.0",
        ["CloudRun:Templates:url-shortener:Cpu"] = "2",
        ["CloudRun:Templates:url-shortener:Memory"] = "1Gi",
        ["CloudRun:Templates:url-shortener:MaxInstanceCount"] = "5",
        ["CloudRun:Templates:url-shortener:Warm"] = "true",
        ["CloudRun:Templates:url-shortener:ContainerConcurrency"] = "40",
        ["CloudRun:Templates:url-shortener:Timeout"] = "00:01:00",
        ["CloudRun:Templates:url-shortener:Labels:team"] = "platform",
    };

    [Fact]
    public async Task Without_configuration_a_candidate_gets_the_default_service()
    {
        await using var harness = new FakeGoogleTargetHarness();

        await harness.Target.DeployAsync(FixtureSpec(), CancellationToken.None);

        var body = harness.Google.CreatedService;
        Assert.True(JsonNode.DeepEquals(Fixture.Object("create-service-request.json"), body), body.ToJsonString());
    }

    [Fact]
    public async Task A_fully_configured_production_service_is_the_documented_request()
    {
        await using var harness = new FakeGoogleTargetHarness(ProductionSettings());

        await harness.Target.DeployAsync(FakeGoogleTargetHarness.Spec(42), CancellationToken.None);

        var body = harness.Google.CreatedService;
        Assert.True(JsonNode.DeepEquals(Fixture.Object("create-service-request-production.json"), body), body.ToJsonString());
    }

    [Fact]
    public void A_template_section_is_found_by_problem_type_and_overrides_only_what_it_sets()
    {
        var options = Bind(new()
        {
            ["CloudRun:ServiceDefaults:Memory"] = "256Mi",
            ["CloudRun:ServiceDefaults:MaxInstanceCount"] = "3",
            ["CloudRun:Templates:url_shortener:Memory"] = "1Gi",
        });

        var settings = CandidateServiceDefinition.SettingsFor("registry.example/sdp/url-shortener:2", options);
        var other = CandidateServiceDefinition.SettingsFor("registry.example/sdp/other:2", options);

        Assert.Equal("1Gi", settings.Memory);
        Assert.Equal(3, settings.MaxInstanceCount);
        Assert.Equal("256Mi", other.Memory);
    }

    [Fact]
    public void Private_warm_and_default_egress_are_rendered()
    {
        var settings = new CandidateServiceSettings { Public = false, Warm = true, VpcSubnetwork = "candidates" };

        var service = CandidateServiceDefinition.From(FixtureSpec(), settings, secrets: null);

        Assert.False(service.InvokerIamDisabled);
        Assert.Equal(1, service.Template!.Scaling!.MinInstanceCount);
        Assert.Equal("PRIVATE_RANGES_ONLY", service.Template.VpcAccess!.Egress);
        Assert.Null(service.Template.VpcAccess.NetworkInterfaces[0].Network);
        Assert.Null(service.Template.Volumes);
    }

    [Fact]
    public void Bad_service_settings_fail_start_up_with_every_problem()
    {
        var values = new Dictionary<string, string?>
        {
            ["CloudRun:Endpoint"] = "https://run.googleapis.com",
            ["CloudRun:ServiceDefaults:Cpu"] = "lots",
            ["CloudRun:ServiceDefaults:Ingress"] = "EVERYONE",
            ["CloudRun:ServiceDefaults:VpcEgress"] = "ALL_TRAFFIC",
            ["CloudRun:Templates:url-shortener:Memory"] = "512",
            ["CloudRun:Templates:url-shortener:MaxInstanceCount"] = "0",
            ["CloudRun:Templates:url-shortener:CloudSqlInstances:0"] = "sdp-postgres",
            ["CloudRun:Templates:url-shortener:Timeout"] = "02:00:00",
        };
        var services = new ServiceCollection().AddLogging();
        services.AddCloudRunDeploymentTarget(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CloudRunOptions>>().Value);

        Assert.Contains(failure.Failures, f => f.Contains("ServiceDefaults:Cpu", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("ServiceDefaults:Ingress", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("ServiceDefaults:VpcEgress needs", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Templates:url-shortener:Memory", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Templates:url-shortener:MaxInstanceCount", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Templates:url-shortener:CloudSqlInstances", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Templates:url-shortener:Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void The_production_settings_pass_validation()
    {
        var options = Bind(ProductionSettings());

        Assert.Equal(CloudRunSecretMode.SecretManager, options.SecretMode);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Templates["url-shortener"].Timeout);
    }

    /// <summary>The spec behind create-service-request.json.</summary>
    private static Sdp.Provisioning.Targets.CandidateServiceSpec FixtureSpec() => new(42, "sdp-sub-42", "sdp/url-shortener:latest",
        new Dictionary<string, string>
        {
            ["SDP_DEPLOYMENT_ID"] = "42",
            ["REDIS_KEY_PREFIX"] = "sub:42:",
            ["ConnectionStrings__redis"] = "127.0.0.1:6379,user=sub-42,password=pw",
            ["ConnectionStrings__database"] = "Host=127.0.0.1;Port=5432;Username=candidate_42;Password=pw;Database=sdp;Search Path=candidate_42",
        },
        new Dictionary<string, string> { ["managed-by"] = "sdp" });

    private static CloudRunOptions Bind(Dictionary<string, string?> values)
    {
        values.TryAdd("CloudRun:Endpoint", "https://run.googleapis.com");
        values.TryAdd("CloudRun:Project", "sdp-prod");
        values.TryAdd("CloudRun:Region", "europe-west1");
        var services = new ServiceCollection().AddLogging();
        services.AddCloudRunDeploymentTarget(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<CloudRunOptions>>().Value;
    }
}
