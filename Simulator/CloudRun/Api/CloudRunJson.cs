using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Sdp.Simulator.CloudRun.Api;

/// <summary>
/// Google's JSON mapping of protobuf: camelCase names, unset fields left out, int64 as strings, timestamps
/// as RFC 3339 UTC strings, enums by name unless the client asks for numbers
/// (<c>$alt=json;enum-encoding=int</c>, as Google's generated REST clients do).
/// </summary>
public static class CloudRunJson
{
    public static JsonSerializerOptions EnumsAsNames { get; } = Create(enumsAsNames: true);

    public static JsonSerializerOptions EnumsAsNumbers { get; } = Create(enumsAsNames: false);

    /// <summary>Requests are read leniently about enums: names or numbers.</summary>
    public static JsonSerializerOptions ForReading => EnumsAsNames;

    public static JsonSerializerOptions ForResponse(HttpRequest request) =>
        request.Query.TryGetValue("$alt", out var alt) && alt.ToString().Contains("enum-encoding=int", StringComparison.Ordinal)
            ? EnumsAsNumbers
            : EnumsAsNames;

    private static JsonSerializerOptions Create(bool enumsAsNames)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new TimestampJsonConverter());
        options.Converters.Add(new PackedServiceJsonConverter());
        if (enumsAsNames)
        {
            options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: true));
        }

        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
