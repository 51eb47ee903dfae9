using System.Text.Json;

namespace Sdp.Templates.Tests.Infrastructure;

/// <summary>The templates' wire format: snake_case JSON.</summary>
public static class SnakeCaseJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
