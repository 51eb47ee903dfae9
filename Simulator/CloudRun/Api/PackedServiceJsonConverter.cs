using System.Text.Json;
using System.Text.Json.Serialization;
using Sdp.Simulator.CloudRun.Model;

namespace Sdp.Simulator.CloudRun.Api;

/// <summary>Writes a Service as <c>google.protobuf.Any</c>: <c>"@type"</c> first, then the Service's own fields.</summary>
internal sealed class PackedServiceJsonConverter : JsonConverter<PackedService>
{
    public override PackedService Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(JsonSerializer.Deserialize<Service>(ref reader, options) ?? throw new JsonException("An Any must be an object."));

    public override void Write(Utf8JsonWriter writer, PackedService value, JsonSerializerOptions options)
    {
        using var fields = JsonSerializer.SerializeToDocument(value.Service, options);
        writer.WriteStartObject();
        writer.WriteString("@type", PackedService.TypeUrl);
        foreach (var field in fields.RootElement.EnumerateObject())
        {
            field.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
