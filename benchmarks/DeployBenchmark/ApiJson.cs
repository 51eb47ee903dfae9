using System.Text.Json;

namespace Sdp.DeployBenchmark;

/// <summary>The API's JSON: snake_case names.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
