using System.Text.Json.Serialization;

namespace Sdp.Templates.RateLimiter;

/// <summary><c>POST /api/rules</c> body. Numbers are read as long so out-of-range values get a field error.</summary>
public sealed record CreateRuleRequest(string? Name, long? Limit, long? WindowSeconds);

/// <summary><c>PUT /api/rules/{name}</c> body.</summary>
public sealed record UpdateRuleRequest(long? Limit, long? WindowSeconds);

public sealed record RuleResponse(string Name, int Limit, int WindowSeconds, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record RuleList(IReadOnlyList<RuleResponse> Items);

/// <summary><c>POST /api/check</c> body: <c>cost</c> defaults to 1, <c>rule</c> to <c>default</c>.</summary>
public sealed record CheckRequest(string? Key, long? Cost, string? Rule);

public sealed record CheckResponse(bool Allowed, int Limit, long Remaining, long RetryAfterSeconds, string Rule, string Key);

/// <summary>Serialization metadata generated at build time: no reflection on each candidate's first request.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CreateRuleRequest))]
[JsonSerializable(typeof(UpdateRuleRequest))]
[JsonSerializable(typeof(RuleResponse))]
[JsonSerializable(typeof(RuleList))]
[JsonSerializable(typeof(CheckRequest))]
[JsonSerializable(typeof(CheckResponse))]
internal sealed partial class RateLimiterJsonContext : JsonSerializerContext;
