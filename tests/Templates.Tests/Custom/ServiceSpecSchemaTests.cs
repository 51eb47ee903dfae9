using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Templates.Tests.Custom;

/// <summary>The published JSON Schema says what the server enforces: its examples pass both, and hostile specs fail both.</summary>
public sealed class ServiceSpecSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(ServiceSpecSchema.Json);

    [Fact]
    public void The_schema_is_a_2020_12_document_with_an_id_a_title_and_closed_objects()
    {
        var document = JsonNode.Parse(ServiceSpecSchema.Json)!.AsObject();

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)document["$schema"]);
        Assert.Equal(ServiceSpecSchema.Id, (string?)document["$id"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)document["title"]));
        Assert.False((bool)document["additionalProperties"]!);
        Assert.False((bool)document["$defs"]!["resource"]!["additionalProperties"]!);
        Assert.False((bool)document["$defs"]!["field"]!["additionalProperties"]!);
        Assert.Equal(ServiceSpecLimits.MaxResources, (int)document["properties"]!["resources"]!["maxItems"]!);
        Assert.Equal(ServiceSpecLimits.NamePattern, (string?)document["$defs"]!["name"]!["pattern"]);
    }

    [Fact]
    public void The_examples_hold_a_chat_system_and_a_news_feed_and_pass_the_schema_and_the_validator()
    {
        var examples = JsonNode.Parse(ServiceSpecSchema.Json)!["examples"]!.AsArray();

        Assert.Equal(ServiceSpecSchema.Examples.Count, examples.Count);
        Assert.Contains(ServiceSpecSchema.Examples, e => e.Resources.Any(r => r.Name == "messages"));
        Assert.Contains(ServiceSpecSchema.Examples, e => e.Resources.Any(r => r.Name == "feed_items"));
        foreach (var example in examples)
        {
            var json = example!.ToJsonString();
            Assert.True(Evaluate(json).IsValid, json);
            Assert.True(ServiceSpecValidator.Validate(json).IsValid, json);
        }
    }

    [Theory]
    [InlineData("""{"resources":[{"name":"../x","fields":[{"name":"a","type":"string"}]}]}""")]
    [InlineData("""{"resources":[{"name":"users\"; DROP TABLE x; --","fields":[{"name":"a","type":"string"}]}]}""")]
    [InlineData("""{"resources":[{"name":"Users","fields":[{"name":"a","type":"string"}]}]}""")]
    [InlineData("""{"resources":[{"name":"users","fields":[{"name":"a","type":"text; DROP TABLE x"}]}]}""")]
    [InlineData("""{"resources":[{"name":"users","fields":[{"name":"id","type":"uuid"}]}]}""")]
    [InlineData("""{"resources":[{"name":"users","fields":[{"name":"a","type":"text","indexed":true}]}]}""")]
    [InlineData("""{"resources":[{"name":"users","fields":[{"name":"a","type":"string","max_length":1001}]}]}""")]
    [InlineData("""{"resources":[{"name":"users","fields":[{"name":"a","type":"integer","max_length":10}]}]}""")]
    [InlineData("""{"resources":[{"name":"users","fields":[{"name":"a","type":"string"}],"cache":{"ttl_seconds":0}}]}""")]
    [InlineData("""{"resources":[{"name":"users","fields":[{"name":"a","type":"string"}],"rate_limit":{"burst":3}}]}""")]
    [InlineData("""{"resources":[{"name":"users","fields":[{"name":"a","type":"string"}]}],"extra":1}""")]
    [InlineData("""{"resources":[{"name":"users","fields":[]}]}""")]
    [InlineData("""{"resources":[]}""")]
    public void A_spec_the_validator_refuses_the_schema_refuses_too(string json)
    {
        Assert.False(ServiceSpecValidator.Validate(json).IsValid);
        Assert.False(Evaluate(json).IsValid);
    }

    [Fact]
    public void Too_many_resources_fail_the_schema_as_they_fail_the_validator()
    {
        var resources = Enumerable.Range(0, ServiceSpecLimits.MaxResources + 1)
            .Select(i => ServiceSpecValidatorTests.Resource($"r{i}", ServiceSpecValidatorTests.Field("a", "uuid")));
        var json = ServiceSpecValidatorTests.Spec([.. resources]);

        Assert.False(ServiceSpecValidator.Validate(json).IsValid);
        Assert.False(Evaluate(json).IsValid);
    }

    private static EvaluationResults Evaluate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }
}
