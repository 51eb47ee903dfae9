using System.Globalization;
using System.Text.Json.Nodes;
using Sdp.ScenarioRunner.Engine;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.ScenarioRunner.CustomService;

/// <summary>
/// Values a spec's fields accept and values they must refuse, by field type, and whether what came back is what was
/// sent. Text values carry the run's token and a counter, so look-ups by them find the run's own items.
/// </summary>
internal sealed class SampleValues(string token)
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long counter;

    /// <summary>A body with a fresh valid value for every field.</summary>
    public JsonObject Body(ResourceSpec resource)
    {
        var body = new JsonObject();
        foreach (var field in resource.Fields)
        {
            body[field.Name] = Valid(field);
        }

        return body;
    }

    public JsonNode Valid(FieldSpec field)
    {
        var n = Interlocked.Increment(ref counter);
        return field.Type switch
        {
            ServiceSpecLimits.String or ServiceSpecLimits.Text => JsonValue.Create(Text(n, ServiceSpecLimits.MaxLengthOf(field)!.Value)),
            ServiceSpecLimits.Integer => JsonValue.Create(n * 7_919 - 1_000_000),
            // Quarters are exact in binary, so the number read back is the number sent, digit for digit.
            ServiceSpecLimits.Number => JsonValue.Create(n + 0.25),
            ServiceSpecLimits.Boolean => JsonValue.Create(n % 2 == 0),
            ServiceSpecLimits.Timestamp => JsonValue.Create(Epoch.AddSeconds(n).AddTicks(n * 10 % 10_000_000)
                .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)),
            ServiceSpecLimits.Uuid => JsonValue.Create(Guid.NewGuid().ToString()),
            _ => throw new InvalidOperationException("The spec was validated; its types are known."),
        };
    }

    /// <summary>Values of the wrong kind for the field, or out of its bounds; each must be answered 400.</summary>
    public static IEnumerable<JsonNode> Invalid(FieldSpec field)
    {
        switch (field.Type)
        {
            case ServiceSpecLimits.String or ServiceSpecLimits.Text:
                yield return JsonValue.Create(12345);
                if (ServiceSpecLimits.MaxLengthOf(field) is { } max and <= 10_000)
                {
                    yield return JsonValue.Create(new string('x', max + 1));
                }

                break;
            case ServiceSpecLimits.Integer:
                yield return JsonValue.Create("twelve");
                yield return JsonValue.Create(1.5);
                break;
            case ServiceSpecLimits.Number:
                yield return JsonValue.Create("1.5");
                break;
            case ServiceSpecLimits.Boolean:
                yield return JsonValue.Create("yes");
                break;
            case ServiceSpecLimits.Timestamp:
                yield return JsonValue.Create("yesterday");
                break;
            case ServiceSpecLimits.Uuid:
                yield return JsonValue.Create("not-a-uuid");
                break;
        }
    }

    /// <summary>Throws when a field of <paramref name="actual"/> is not the value <paramref name="sent"/> holds.</summary>
    public static void ExpectSame(ResourceSpec resource, JsonObject sent, JsonObject actual, string request)
    {
        foreach (var field in resource.Fields)
        {
            var what = $"{request} {field.Name}";
            var expected = sent[field.Name];
            if (expected is null)
            {
                Expect.True(actual[field.Name] is null, $"{what}: expected null, got {actual[field.Name]?.ToJsonString()}");
                continue;
            }

            switch (field.Type)
            {
                case ServiceSpecLimits.String or ServiceSpecLimits.Text:
                    Expect.Equal(expected.GetValue<string>(), Expect.String(actual, field.Name, request), what);
                    break;
                case ServiceSpecLimits.Integer:
                    Expect.Equal(expected.GetValue<long>(), Expect.Integer(actual, field.Name, request), what);
                    break;
                case ServiceSpecLimits.Number:
                    Expect.Equal(expected.GetValue<double>(), Expect.Number(actual, field.Name, request), what);
                    break;
                case ServiceSpecLimits.Boolean:
                    Expect.Equal(expected.GetValue<bool>(), Expect.Boolean(actual, field.Name, request), what);
                    break;
                case ServiceSpecLimits.Timestamp:
                    Expect.Equal(DateTimeOffset.Parse(expected.GetValue<string>(), CultureInfo.InvariantCulture),
                        Expect.Timestamp(actual, field.Name, request), what);
                    break;
                case ServiceSpecLimits.Uuid:
                    var uuid = Expect.String(actual, field.Name, request);
                    Expect.True(Guid.TryParse(uuid, out var parsed) && parsed == Guid.Parse(expected.GetValue<string>()),
                        $"{what}: expected {expected.GetValue<string>()}, got '{uuid}'");
                    break;
            }
        }
    }

    /// <summary>The value as a look-up's query string holds it.</summary>
    public static string QueryValue(JsonNode value) => value.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => value.GetValue<string>(),
        System.Text.Json.JsonValueKind.True => "true",
        System.Text.Json.JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    /// <summary>Unique within the run as far as the length allows: the token, then the counter in base 36.</summary>
    private string Text(long n, int maxLength)
    {
        var text = token + "-" + ToBase36(n);
        return text.Length <= maxLength ? text : ToBase36(n)[..Math.Min(maxLength, ToBase36(n).Length)];
    }

    private static string ToBase36(long n)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var text = "";
        do
        {
            text = digits[(int)(n % 36)] + text;
            n /= 36;
        }
        while (n > 0);
        return text;
    }
}
