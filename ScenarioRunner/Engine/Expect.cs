using System.Globalization;
using System.Text.Json.Nodes;

namespace Sdp.ScenarioRunner.Engine;

/// <summary>The checks' vocabulary: each throws <see cref="CheckFailedException"/> saying what was expected and what came.</summary>
public static class Expect
{
    public static ScenarioResponse Status(ScenarioResponse response, int expected)
    {
        if (response.Status != expected)
        {
            throw new CheckFailedException(
                $"{response.Request}: expected HTTP {expected}, got {response.Status} with {ScenarioResponse.Excerpt(response.Body)}");
        }

        return response;
    }

    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new CheckFailedException($"{what}: expected {Show(expected)}, got {Show(actual)}");
        }
    }

    public static void True(bool condition, string what)
    {
        if (!condition)
        {
            throw new CheckFailedException(what);
        }
    }

    /// <summary>A header that must be present; returns its value.</summary>
    public static string Header(ScenarioResponse response, string name)
    {
        var value = response.Header(name);
        if (string.IsNullOrEmpty(value))
        {
            throw new CheckFailedException($"{response.Request}: expected header {name}, it is missing (HTTP {response.Status})");
        }

        return value;
    }

    /// <summary>A header that must hold an integer; returns it.</summary>
    public static long IntegerHeader(ScenarioResponse response, string name)
    {
        var value = Header(response, name);
        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new CheckFailedException($"{response.Request}: expected header {name} to be an integer, got '{value}'");
    }

    public static string String(JsonObject body, string field, string request)
    {
        if (body[field] is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text;
        }

        throw new CheckFailedException($"{request}: expected a string field '{field}', got {Describe(body[field])}");
    }

    public static long Integer(JsonObject body, string field, string request)
    {
        if (body[field] is JsonValue value && value.TryGetValue<long>(out var number))
        {
            return number;
        }

        if (body[field] is JsonValue other && other.TryGetValue<double>(out var real) && real == Math.Floor(real))
        {
            return (long)real;
        }

        throw new CheckFailedException($"{request}: expected an integer field '{field}', got {Describe(body[field])}");
    }

    public static double Number(JsonObject body, string field, string request)
    {
        if (body[field] is JsonValue value && value.TryGetValue<double>(out var number))
        {
            return number;
        }

        throw new CheckFailedException($"{request}: expected a number field '{field}', got {Describe(body[field])}");
    }

    public static bool Boolean(JsonObject body, string field, string request)
    {
        if (body[field] is JsonValue value && value.TryGetValue<bool>(out var flag))
        {
            return flag;
        }

        throw new CheckFailedException($"{request}: expected a boolean field '{field}', got {Describe(body[field])}");
    }

    public static DateTimeOffset Timestamp(JsonObject body, string field, string request)
    {
        var text = String(body, field, request);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : throw new CheckFailedException($"{request}: expected '{field}' to be a timestamp, got '{text}'");
    }

    /// <summary>A field's value as text whatever its JSON kind (ids may be numbers or strings).</summary>
    public static string Id(JsonObject body, string field, string request)
    {
        return body[field] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 0 => text,
            JsonValue value when value.TryGetValue<long>(out var number) => number.ToString(CultureInfo.InvariantCulture),
            var other => throw new CheckFailedException($"{request}: expected an id in '{field}', got {Describe(other)}"),
        };
    }

    public static JsonArray Array(JsonObject body, string field, string request) =>
        body[field] as JsonArray
            ?? throw new CheckFailedException($"{request}: expected an array field '{field}', got {Describe(body[field])}");

    private static string Describe(JsonNode? node) => node is null ? "nothing" : node.ToJsonString();

    private static string Show<T>(T value) => value switch
    {
        null => "nothing",
        string text => $"'{text}'",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
