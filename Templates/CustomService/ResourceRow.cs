using System.Globalization;
using System.Text.Json;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Templates.CustomService;

/// <summary>One stored item: its id, its field values (in the spec's order) and its timestamps.</summary>
internal sealed record ResourceRow(Guid Id, object?[] Values, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The item as its JSON body: <c>id</c>, every field (null when unset), <c>created_at</c>, <c>updated_at</c>.</summary>
    public byte[] ToJson(ResourceSpec resource)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, resource);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Write(Utf8JsonWriter writer, ResourceSpec resource)
    {
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        for (var i = 0; i < resource.Fields.Count; i++)
        {
            var name = resource.Fields[i].Name;
            switch (Values[i])
            {
                case null:
                    writer.WriteNull(name);
                    break;
                case string text:
                    writer.WriteString(name, text);
                    break;
                case long integer:
                    writer.WriteNumber(name, integer);
                    break;
                case double number:
                    writer.WriteNumber(name, number);
                    break;
                case bool boolean:
                    writer.WriteBoolean(name, boolean);
                    break;
                case DateTimeOffset timestamp:
                    writer.WriteString(name, Timestamp(timestamp));
                    break;
                case Guid uuid:
                    writer.WriteString(name, uuid);
                    break;
                default:
                    throw new InvalidOperationException($"A {Values[i]!.GetType().Name} is no field value.");
            }
        }

        writer.WriteString("created_at", Timestamp(CreatedAt));
        writer.WriteString("updated_at", Timestamp(UpdatedAt));
        writer.WriteEndObject();
    }

    /// <summary>UTC, to the microsecond PostgreSQL keeps, so what a client wrote and what it reads back agree.</summary>
    private static string Timestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
