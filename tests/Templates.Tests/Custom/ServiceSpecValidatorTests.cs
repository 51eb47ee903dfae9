using System.Text.Json;
using System.Text.Json.Nodes;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Templates.Tests.Custom;

/// <summary>What a service spec may say: the server-side check a spec from a client or a model passes before anything is created.</summary>
public sealed class ServiceSpecValidatorTests
{
    [Fact]
    public void A_valid_spec_comes_back_typed_with_its_defaults()
    {
        var result = ServiceSpecValidator.Validate("""
            {"resources":[{"name":"notes","fields":[
                {"name":"title","type":"string","required":true,"indexed":true,"max_length":80},
                {"name":"body","type":"text"}],
              "cache":{"ttl_seconds":30},"rate_limit":{"requests_per_second":5,"burst":10}}]}
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Violations));
        var notes = Assert.Single(result.Spec!.Resources);
        Assert.Equal("notes", notes.Name);
        Assert.Equal(new FieldSpec("title", "string", Required: true, Indexed: true, MaxLength: 80), notes.Fields[0]);
        Assert.Equal(new FieldSpec("body", "text"), notes.Fields[1]);
        Assert.Equal(new CacheSpec(30), notes.Cache);
        Assert.Equal(new RateLimitSpec(5, 10), notes.RateLimit);
    }

    [Fact]
    public void The_examples_are_valid_and_survive_a_round_trip_through_their_json()
    {
        foreach (var example in ServiceSpecSchema.Examples)
        {
            var result = ServiceSpecValidator.Validate(ServiceSpecJson.Serialize(example));

            Assert.True(result.IsValid, string.Join("; ", result.Violations));
            Assert.Equal(ServiceSpecJson.Serialize(example), ServiceSpecJson.Serialize(result.Spec!));
        }
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("users; DROP TABLE users")]
    [InlineData("users\"; DROP SCHEMA public CASCADE; --")]
    [InlineData("Users")]
    [InlineData("1users")]
    [InlineData("_users")]
    [InlineData("")]
    [InlineData("users\n")]
    [InlineData("usérs")]
    [InlineData("a23456789012345678901234567890123456789012")]
    public void A_hostile_or_malformed_resource_name_is_refused_at_its_path(string name)
    {
        var result = ServiceSpecValidator.Validate(Spec(Resource(name, Field("title", "string"))));

        var violation = Assert.Single(result.Violations);
        Assert.False(result.IsValid);
        Assert.Null(result.Spec);
        Assert.Equal("/resources/0/name", violation.Path);
        Assert.Contains(ServiceSpecLimits.NamePattern, violation.Message);
    }

    [Fact]
    public void A_name_of_exactly_forty_characters_is_accepted()
    {
        var name = "a" + new string('b', 39);

        Assert.True(ServiceSpecValidator.Validate(Spec(Resource(name, Field(name, "string")))).IsValid);
    }

    [Theory]
    [InlineData("text; DROP TABLE users")]
    [InlineData("varchar(10)")]
    [InlineData("String")]
    [InlineData("json")]
    [InlineData("")]
    public void A_type_outside_the_closed_list_is_refused_naming_the_allowed_ones(string type)
    {
        var result = ServiceSpecValidator.Validate(Spec(Resource("users", Field("name", type))));

        var violation = Assert.Single(result.Violations);
        Assert.Equal("/resources/0/fields/0/type", violation.Path);
        Assert.Contains("string, text, integer, number, boolean, timestamp, uuid", violation.Message);
    }

    [Fact]
    public void Every_violation_is_reported_not_only_the_first()
    {
        var result = ServiceSpecValidator.Validate("""
            {"resources":[
              {"name":"Users","fields":[{"name":"id","type":"string"},{"name":"age","type":"int"}]},
              {"name":"posts","fields":[{"name":"body","type":"text","indexed":true},{"name":"n","type":"integer","max_length":3}],
               "cache":{"ttl_seconds":0},"rate_limit":{"requests_per_second":5}},
              {"name":"posts","fields":[]}],
             "version":2}
            """);

        string[] expected =
        [
            "/version",
            "/resources/0/name",
            "/resources/0/fields/0/name",
            "/resources/0/fields/1/type",
            "/resources/1/fields/0/indexed",
            "/resources/1/fields/1/max_length",
            "/resources/1/cache/ttl_seconds",
            "/resources/1/rate_limit/burst",
            "/resources/2/fields",
            "/resources/2/name",
        ];
        Assert.False(result.IsValid);
        Assert.Equal(expected.Order(StringComparer.Ordinal), result.Violations.Select(v => v.Path).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("id")]
    [InlineData("created_at")]
    [InlineData("updated_at")]
    public void A_field_may_not_take_the_name_of_a_column_every_resource_has(string name)
    {
        var violation = Assert.Single(ServiceSpecValidator.Validate(Spec(Resource("users", Field(name, "uuid")))).Violations);

        Assert.Equal("/resources/0/fields/0/name", violation.Path);
    }

    [Fact]
    public void Duplicate_resource_and_field_names_are_refused()
    {
        var result = ServiceSpecValidator.Validate(Spec(
            Resource("users", Field("email", "string"), Field("email", "text")),
            Resource("users", Field("email", "string"))));

        Assert.Equal(["/resources/0/fields/1/name", "/resources/1/name"], result.Violations.Select(v => v.Path));
    }

    [Fact]
    public void Unknown_and_repeated_properties_are_refused_at_every_level()
    {
        var result = ServiceSpecValidator.Validate("""
            {"resources":[{"name":"users","Name":"x","fields":[{"name":"a","type":"string","indexd":true,"type":"text"}],
              "cache":{"ttl_seconds":5,"ttl":5}}]}
            """);

        Assert.Equal(["/resources/0/Name", "/resources/0/fields/0/indexd", "/resources/0/fields/0/type", "/resources/0/cache/ttl"],
            result.Violations.Select(v => v.Path));
    }

    [Fact]
    public void Too_many_resources_or_fields_are_refused()
    {
        var fields = Enumerable.Range(0, ServiceSpecLimits.MaxFieldsPerResource + 1).Select(i => Field($"f{i}", "integer")).ToArray();
        var resources = Enumerable.Range(0, ServiceSpecLimits.MaxResources + 1).Select(i => Resource($"r{i}", Field("a", "boolean"))).ToArray();

        var wide = Assert.Single(ServiceSpecValidator.Validate(Spec(Resource("wide", fields))).Violations);
        var many = Assert.Single(ServiceSpecValidator.Validate(Spec(resources)).Violations);

        Assert.Equal("/resources/0/fields", wide.Path);
        Assert.Contains("at most 30 fields", wide.Message);
        Assert.Equal("/resources", many.Path);
        Assert.Contains("at most 20 resources", many.Message);
    }

    [Fact]
    public void The_limits_themselves_are_accepted()
    {
        var fields = Enumerable.Range(0, ServiceSpecLimits.MaxFieldsPerResource).Select(i => Field($"f{i}", "integer")).ToArray();
        var resources = Enumerable.Range(0, ServiceSpecLimits.MaxResources).Select(i => Resource($"r{i}", fields)).ToArray();

        Assert.True(ServiceSpecValidator.Validate(Spec(resources)).IsValid);
    }

    [Fact]
    public void An_oversize_spec_is_refused_before_it_is_read()
    {
        var padding = new string(' ', ServiceSpecLimits.MaxSpecBytes);
        var json = Spec(Resource("users", Field("name", "string"))).Replace("{", "{" + padding, StringComparison.Ordinal);

        var violation = Assert.Single(ServiceSpecValidator.Validate(json).Violations);
        using var document = JsonDocument.Parse(json);
        var asElement = Assert.Single(ServiceSpecValidator.Validate(document.RootElement).Violations);

        Assert.Equal("", violation.Path);
        Assert.Contains("larger than 65536 bytes", violation.Message);
        Assert.Equal(violation, asElement);
    }

    [Theory]
    [InlineData("{\"resources\":[")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("{\"resources\":[]}} trailing")]
    public void Invalid_json_is_one_violation_with_the_parser_message(string json)
    {
        var violation = Assert.Single(ServiceSpecValidator.Validate(json).Violations);

        Assert.Equal("", violation.Path);
        Assert.StartsWith("The spec is not valid JSON: ", violation.Message);
    }

    [Theory]
    [InlineData("[]", "")]
    [InlineData("{}", "/resources")]
    [InlineData("{\"resources\":{}}", "/resources")]
    [InlineData("{\"resources\":[]}", "/resources")]
    [InlineData("{\"resources\":[7]}", "/resources/0")]
    [InlineData("{\"resources\":[{\"name\":\"a\",\"fields\":[{\"name\":\"b\",\"type\":\"string\",\"max_length\":1001}]}]}", "/resources/0/fields/0/max_length")]
    [InlineData("{\"resources\":[{\"name\":\"a\",\"fields\":[{\"name\":\"b\",\"type\":\"text\",\"max_length\":65537}]}]}", "/resources/0/fields/0/max_length")]
    [InlineData("{\"resources\":[{\"name\":\"a\",\"fields\":[{\"name\":\"b\",\"type\":\"string\",\"required\":\"yes\"}]}]}", "/resources/0/fields/0/required")]
    [InlineData("{\"resources\":[{\"name\":\"a\",\"fields\":[{\"name\":\"b\",\"type\":\"string\"}],\"rate_limit\":{\"requests_per_second\":10001,\"burst\":1}}]}", "/resources/0/rate_limit/requests_per_second")]
    [InlineData("{\"resources\":[{\"name\":\"a\",\"fields\":[{\"name\":\"b\",\"type\":\"string\"}],\"cache\":{\"ttl_seconds\":86401}}]}", "/resources/0/cache/ttl_seconds")]
    [InlineData("{\"resources\":[{\"name\":\"a\",\"fields\":[{\"name\":\"b\",\"type\":\"string\"}],\"cache\":{\"ttl_seconds\":1.5}}]}", "/resources/0/cache/ttl_seconds")]
    public void A_wrong_shape_or_an_out_of_bounds_value_is_refused_at_its_path(string json, string path)
    {
        var violation = Assert.Single(ServiceSpecValidator.Validate(json).Violations);

        Assert.Equal(path, violation.Path);
    }

    [Fact]
    public void Messages_repeat_only_a_short_escaped_prefix_of_hostile_input()
    {
        var hostile = "x\u0000<script>" + new string('A', 5_000);
        var json = new JsonObject
        {
            ["resources"] = new JsonArray(new JsonObject
            {
                ["name"] = hostile,
                [hostile] = 1,
                ["fields"] = new JsonArray(new JsonObject { ["name"] = "a", ["type"] = hostile }),
            }),
        }.ToJsonString();

        var violations = ServiceSpecValidator.Validate(json).Violations;

        Assert.Equal(3, violations.Count);
        Assert.All(violations, v =>
        {
            Assert.True(v.Message.Length < 300, v.Message);
            Assert.True(v.Path.Length < 100, v.Path);
            Assert.DoesNotContain('\u0000', v.Message + v.Path);
            Assert.DoesNotContain("<script>", v.Message);
        });
    }

    [Fact]
    public void A_flood_of_violations_is_cut_short_with_a_count_of_the_rest()
    {
        var properties = string.Join(",", Enumerable.Range(0, 500).Select(i => $"\"p{i}\":0"));

        var violations = ServiceSpecValidator.Validate("{" + properties + ",\"resources\":[]}").Violations;

        Assert.Equal(ServiceSpecLimits.MaxViolations + 1, violations.Count);
        Assert.Equal("… and 301 more violations.", violations[^1].Message);
    }

    internal static string Spec(params string[] resources) => "{\"resources\":[" + string.Join(",", resources) + "]}";

    internal static string Resource(string name, params string[] fields) =>
        "{\"name\":" + JsonSerializer.Serialize(name) + ",\"fields\":[" + string.Join(",", fields) + "]}";

    internal static string Field(string name, string type) =>
        "{\"name\":" + JsonSerializer.Serialize(name) + ",\"type\":" + JsonSerializer.Serialize(type) + "}";
}
