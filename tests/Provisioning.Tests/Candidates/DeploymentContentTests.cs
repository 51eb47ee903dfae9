using System.Text;
using System.Text.Json.Nodes;
using Sdp.Provisioning.Candidates;
using Sdp.Provisioning.Tests.Infrastructure;
using Sdp.Templates.Catalog;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Provisioning.Tests.Candidates;

/// <summary>
/// What a deployment puts into its candidate's resources: a template's own tables, or the tables and environment a
/// custom deployment's spec calls for, decided before anything is created.
/// </summary>
public sealed class DeploymentContentTests
{
    [Fact]
    public void A_template_brings_its_own_tables_and_no_extra_variables_whatever_spec_comes_along()
    {
        var (content, failure) = DeploymentContent.For(UrlShortenerTemplate.Descriptor, ServiceSpecExamples.ChatSystem);

        Assert.Null(failure);
        Assert.Equal(UrlShortenerTemplate.Descriptor.SchemaSql, content!.SchemaSql);
        Assert.Empty(content.Environment);
    }

    [Fact]
    public void A_custom_deployment_gets_the_spec_tables_and_the_spec_in_its_environment()
    {
        var (content, failure) = DeploymentContent.For(CustomServiceTemplate.Descriptor, ServiceSpecExamples.NewsFeed);

        Assert.Null(failure);
        Assert.Equal(CustomSchemaSql.For(ServiceSpecExamples.NewsFeed), content!.SchemaSql);
        Assert.Contains("CREATE TABLE IF NOT EXISTS \"feed_items\"", content.SchemaSql);
        var (name, value) = Assert.Single(content.Environment);
        Assert.Equal(ServiceSpecEnvironment.Json, name);
        Assert.Equal(ServiceSpecJson.Serialize(ServiceSpecExamples.NewsFeed), value);
    }

    [Fact]
    public void A_custom_deployment_without_a_spec_fails_saying_so()
    {
        var (content, failure) = DeploymentContent.For(CustomServiceTemplate.Descriptor, null);

        Assert.Null(content);
        Assert.Contains("needs a service spec", failure);
    }

    [Fact]
    public void A_forged_spec_is_checked_again_and_its_violations_named()
    {
        // Built as a record, past the Orchestrator's validation, as a message forged on the queue would be.
        var forged = new ServiceSpec([new ResourceSpec("users\"; DROP SCHEMA public CASCADE; --",
            [new FieldSpec("name", "text); DROP TABLE x; --")])]);

        var (content, failure) = DeploymentContent.For(CustomServiceTemplate.Descriptor, forged);

        Assert.Null(content);
        Assert.StartsWith("The service spec is invalid: ", failure);
        Assert.Contains("/resources/0/name", failure);
        Assert.Contains("/resources/0/fields/0/type", failure);
        // Repeated only escaped: the name's quote cannot close anything in whatever shows the reason.
        Assert.DoesNotContain("users\";", failure);
    }

    [Fact]
    public async Task A_large_spec_reaches_cloud_run_gzipped_as_a_plain_variable_within_its_size_limit()
    {
        var large = new ServiceSpec([.. Enumerable.Range(0, ServiceSpecLimits.MaxResources).Select(r =>
            new ResourceSpec($"resource_{r:D2}",
                [.. Enumerable.Range(0, 25).Select(f => new FieldSpec($"field_{f:D2}_with_a_longer_name", ServiceSpecLimits.String, Indexed: true))]))]);
        Assert.True(Encoding.UTF8.GetByteCount(ServiceSpecJson.Serialize(large)) > ServiceSpecEnvironment.PlainJsonMaxBytes);
        var (content, _) = DeploymentContent.For(CustomServiceTemplate.Descriptor, large);
        var spec = FakeGoogleTargetHarness.Spec(7, CustomServiceTemplate.Descriptor.Image);
        var environment = new Dictionary<string, string>(spec.Environment);
        foreach (var (name, specValue) in content!.Environment)
        {
            environment[name] = specValue;
        }

        await using var harness = new FakeGoogleTargetHarness(Sdp.Provisioning.Tests.CloudRun.CandidateServiceSpecTests.ProductionSettings());
        await harness.Target.DeployAsync(spec with { Environment = environment }, CancellationToken.None);

        var env = harness.Google.CreatedService["template"]!["containers"]![0]!["env"]!.AsArray();
        var variable = env.Single(v => (string?)v!["name"] == ServiceSpecEnvironment.Gzip)!;
        var value = (string)variable["value"]!;
        // Cloud Run takes at most 32 KiB for one value.
        Assert.All(env, v => Assert.True(Encoding.UTF8.GetByteCount((string?)v!["value"] ?? "") <= 32 * 1024));
        Assert.Null(env.FirstOrDefault(v => (string?)v!["name"] == ServiceSpecEnvironment.Json));
        var read = ServiceSpecEnvironment.Read(new Dictionary<string, string> { [ServiceSpecEnvironment.Gzip] = value });
        Assert.Equal(ServiceSpecJson.Serialize(large), ServiceSpecJson.Serialize(read.Spec!));
    }
}
