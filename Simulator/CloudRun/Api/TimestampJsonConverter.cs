using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sdp.Simulator.CloudRun.Api;

/// <summary>
/// <c>google.protobuf.Timestamp</c>: RFC 3339 in UTC with a <c>Z</c> and nanosecond digits, e.g.
/// <c>2025-01-31T12:00:00.123456700Z</c>. Offsets other than Z are accepted on input.
/// </summary>
internal sealed class TimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("A timestamp must be a string."),
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        // .NET keeps 100 ns ticks: seven digits, padded to the nine protobuf writes.
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture));
}
