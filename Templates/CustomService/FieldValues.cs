using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Templates.CustomService;

/// <summary>
/// A field's value from JSON or from a query string, checked against its type: what the column will accept, so a bad
/// value is a 400 naming the field, never a database error. Values are string, long, double, bool, DateTimeOffset (UTC)
/// or Guid, by field type; null for an absent optional field.
/// </summary>
internal static class FieldValues
{
    public static (object? Value, string? Error) FromJson(FieldSpec field, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return field.Required ? (null, "Required; it may not be null.") : (null, null);
        }

        return field.Type switch
        {
            ServiceSpecLimits.String or ServiceSpecLimits.Text => element.ValueKind == JsonValueKind.String
                ? Text(field, element.GetString()!)
                : (null, "Must be a string."),
            ServiceSpecLimits.Integer => element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var integer)
                ? (integer, null)
                : (null, "Must be a whole number from -9223372036854775808 to 9223372036854775807."),
            ServiceSpecLimits.Number => element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number) && double.IsFinite(number)
                ? (number, null)
                : (null, "Must be a number."),
            ServiceSpecLimits.Boolean => element.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? (element.GetBoolean(), null)
                : (null, "Must be true or false."),
            ServiceSpecLimits.Timestamp => element.ValueKind == JsonValueKind.String
                ? Timestamp(element.GetString()!)
                : (null, "Must be an ISO 8601 timestamp string, e.g. 2026-01-31T12:00:00Z."),
            ServiceSpecLimits.Uuid => element.ValueKind == JsonValueKind.String
                ? Uuid(element.GetString()!)
                : (null, "Must be a UUID string."),
            _ => throw new InvalidOperationException("The spec was validated; its types are known."),
        };
    }

    /// <summary>A look-up's value, from the query string.</summary>
    public static (object? Value, string? Error) FromQuery(FieldSpec field, string value) => field.Type switch
    {
        ServiceSpecLimits.String or ServiceSpecLimits.Text => Text(field, value),
        ServiceSpecLimits.Integer => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            ? (integer, null)
            : (null, "Must be a whole number."),
        ServiceSpecLimits.Number => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? (number, null)
            : (null, "Must be a number."),
        ServiceSpecLimits.Boolean => value switch
        {
            "true" => (true, null),
            "false" => (false, null),
            _ => (null, "Must be true or false."),
        },
        ServiceSpecLimits.Timestamp => Timestamp(value),
        ServiceSpecLimits.Uuid => Uuid(value),
        _ => throw new InvalidOperationException("The spec was validated; its types are known."),
    };

    private static (object? Value, string? Error) Text(FieldSpec field, string value)
    {
        // PostgreSQL counts characters (code points) and refuses NUL and unpaired surrogates; so does this.
        var max = ServiceSpecLimits.MaxLengthOf(field)!.Value;
        var characters = 0;
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                return (null, "Must be valid Unicode text.");
            }

            if (rune.Value == 0)
            {
                return (null, "May not contain the NUL character.");
            }

            if (++characters > max)
            {
                return (null, $"May be at most {max} characters long.");
            }

            rest = rest[consumed..];
        }

        return (value, null);
    }

    private static (object? Value, string? Error) Timestamp(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            ? (ToMicroseconds(timestamp), null)
            : (null, "Must be an ISO 8601 timestamp, e.g. 2026-01-31T12:00:00Z.");

    /// <summary>UTC, cut to the microseconds PostgreSQL keeps, so an item reads back exactly as it was written.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    private static (object? Value, string? Error) Uuid(string value) =>
        Guid.TryParse(value, out var uuid) ? (uuid, null) : (null, "Must be a UUID.");
}
