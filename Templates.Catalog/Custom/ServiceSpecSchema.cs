using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sdp.Templates.Catalog.Custom;

/// <summary>
/// The JSON Schema (2020-12) of a service spec, served at <c>GET /api/templates/custom/schema</c> and handed to a model
/// as its output format. Every bound comes from <see cref="ServiceSpecLimits"/>, so the published rules are the ones
/// <see cref="ServiceSpecValidator"/> enforces (the validator also refuses duplicate names, which a schema cannot say).
/// </summary>
public static class ServiceSpecSchema
{
    public const string Id = "https://sdp.dev/schemas/service-spec.json";

    /// <summary>The specs the schema lists under <c>examples</c>.</summary>
    public static IReadOnlyList<ServiceSpec> Examples => ServiceSpecExamples.All;

    /// <summary>A fresh copy of the schema document.</summary>
    public static JsonObject Document() => new()
    {
        ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
        ["$id"] = Id,
        ["title"] = "Sdp service spec",
        ["description"] = "Named resources with typed fields; each resource is served as JSON CRUD at /api/<resource name> " +
                          "by Sdp's generic service, stored in a table of the candidate's own schema.",
        ["type"] = "object",
        ["additionalProperties"] = false,
        ["required"] = new JsonArray("resources"),
        ["properties"] = new JsonObject
        {
            ["resources"] = new JsonObject
            {
                ["type"] = "array",
                ["minItems"] = 1,
                ["maxItems"] = ServiceSpecLimits.MaxResources,
                ["items"] = new JsonObject { ["$ref"] = "#/$defs/resource" },
            },
        },
        ["$defs"] = new JsonObject
        {
            ["name"] = new JsonObject
            {
                ["type"] = "string",
                ["pattern"] = ServiceSpecLimits.NamePattern,
                ["maxLength"] = ServiceSpecLimits.MaxNameLength,
            },
            ["resource"] = Resource(),
            ["field"] = Field(),
        },
        ["examples"] = new JsonArray([.. Examples.Select(e => JsonSerializer.SerializeToNode(e, ServiceSpecJson.SerializerOptions))]),
    };

    /// <summary>The schema as indented JSON.</summary>
    public static string Json { get; } = Document().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonObject Resource() => new()
    {
        ["type"] = "object",
        ["additionalProperties"] = false,
        ["required"] = new JsonArray("name", "fields"),
        ["properties"] = new JsonObject
        {
            ["name"] = new JsonObject
            {
                ["$ref"] = "#/$defs/name",
                ["description"] = "The table's name and the URL segment: /api/<name>.",
            },
            ["fields"] = new JsonObject
            {
                ["type"] = "array",
                ["minItems"] = 1,
                ["maxItems"] = ServiceSpecLimits.MaxFieldsPerResource,
                ["items"] = new JsonObject { ["$ref"] = "#/$defs/field" },
            },
            ["cache"] = new JsonObject
            {
                ["description"] = "Cache-aside in Redis for reads by id.",
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["required"] = new JsonArray("ttl_seconds"),
                ["properties"] = new JsonObject
                {
                    ["ttl_seconds"] = Integer(ServiceSpecLimits.MinTtlSeconds, ServiceSpecLimits.MaxTtlSeconds),
                },
            },
            ["rate_limit"] = new JsonObject
            {
                ["description"] = "A token bucket over the resource's endpoints; excess requests are answered 429.",
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["required"] = new JsonArray("requests_per_second", "burst"),
                ["properties"] = new JsonObject
                {
                    ["requests_per_second"] = Integer(1, ServiceSpecLimits.MaxRequestsPerSecond),
                    ["burst"] = Integer(1, ServiceSpecLimits.MaxBurst),
                },
            },
        },
    };

    private static JsonObject Field() => new()
    {
        ["type"] = "object",
        ["additionalProperties"] = false,
        ["required"] = new JsonArray("name", "type"),
        ["properties"] = new JsonObject
        {
            ["name"] = new JsonObject
            {
                ["$ref"] = "#/$defs/name",
                ["not"] = new JsonObject { ["enum"] = new JsonArray([.. ServiceSpecLimits.ReservedFieldNames.Select(n => JsonValue.Create(n))]) },
                ["description"] = "The column and the JSON member. id, created_at and updated_at are set by the service.",
            },
            ["type"] = new JsonObject
            {
                ["enum"] = new JsonArray([.. ServiceSpecLimits.FieldTypes.Select(t => JsonValue.Create(t))]),
            },
            ["required"] = new JsonObject { ["type"] = "boolean", ["default"] = false },
            ["indexed"] = new JsonObject
            {
                ["type"] = "boolean",
                ["default"] = false,
                ["description"] = "Serve look-ups by this field (GET /api/<resource>?<field>=value). Not for text fields.",
            },
            ["max_length"] = new JsonObject
            {
                ["description"] = $"string and text only. string: default {ServiceSpecLimits.DefaultStringLength}, at most " +
                                  $"{ServiceSpecLimits.MaxStringLength}; text: at most {ServiceSpecLimits.MaxTextLength}.",
                ["type"] = "integer",
                ["minimum"] = 1,
                ["maximum"] = ServiceSpecLimits.MaxTextLength,
            },
        },
        ["allOf"] = new JsonArray(
            If(new JsonObject { ["type"] = new JsonObject { ["const"] = ServiceSpecLimits.Text } },
                new JsonObject { ["indexed"] = new JsonObject { ["const"] = false } }),
            If(new JsonObject { ["type"] = new JsonObject { ["const"] = ServiceSpecLimits.String } },
                new JsonObject { ["max_length"] = new JsonObject { ["maximum"] = ServiceSpecLimits.MaxStringLength } }),
            If(new JsonObject { ["type"] = NotOneOf(ServiceSpecLimits.String, ServiceSpecLimits.Text) },
                new JsonObject { ["max_length"] = false })),
    };

    private static JsonObject If(JsonObject condition, JsonObject then) => new()
    {
        ["if"] = new JsonObject { ["properties"] = condition, ["required"] = new JsonArray("type") },
        ["then"] = new JsonObject { ["properties"] = then },
    };

    private static JsonObject NotOneOf(params string[] values) =>
        new() { ["not"] = new JsonObject { ["enum"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]) } };

    private static JsonObject Integer(int minimum, int maximum) =>
        new() { ["type"] = "integer", ["minimum"] = minimum, ["maximum"] = maximum };
}
