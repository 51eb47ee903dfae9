using System.Text.Json.Serialization;

namespace Sdp.Templates.DistributedCache;

/// <summary><c>PUT /api/cache/{key}</c> body; <c>ttl_seconds</c> omitted means the default expiry (none unless configured).</summary>
public sealed record PutCacheEntryRequest(string? Value, long? TtlSeconds);

public sealed record CacheEntryResponse(string Key, string Value, DateTimeOffset? ExpiresAt);

public sealed record CacheStatsResponse(long Hits, long Misses, double HitRatio, long Entries);

/// <summary>Serialization metadata generated at build time: no reflection on each candidate's first request.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PutCacheEntryRequest))]
[JsonSerializable(typeof(CacheEntryResponse))]
[JsonSerializable(typeof(CacheStatsResponse))]
internal sealed partial class DistributedCacheJsonContext : JsonSerializerContext;
