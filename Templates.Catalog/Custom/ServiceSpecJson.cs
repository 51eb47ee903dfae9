using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sdp.Templates.Catalog.Custom;

/// <summary>How a service spec is written as JSON: snake_case, unset members left out, unknown ones refused.</summary>
public static class ServiceSpecJson
{
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Nulls and false flags left out: a spec reads as what it asks for, and stays small in an environment variable.
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string Serialize(ServiceSpec spec) => JsonSerializer.Serialize(spec, SerializerOptions);
}
