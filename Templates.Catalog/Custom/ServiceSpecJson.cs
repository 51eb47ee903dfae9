using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sdp.Templates.Catalog.Custom;

/// <summary>How a service spec is written as JSON: snake_case, nulls left out.</summary>
public static class ServiceSpecJson
{
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string Serialize(ServiceSpec spec) => JsonSerializer.Serialize(spec, SerializerOptions);
}
