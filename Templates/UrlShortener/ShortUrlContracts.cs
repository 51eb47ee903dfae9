using System.Text.Json.Serialization;

namespace Sdp.Templates.UrlShortener;

/// <summary><c>POST /api/urls</c> body.</summary>
public sealed record CreateShortUrlRequest([property: JsonPropertyName("url")] string? Url);

/// <summary><c>POST /api/urls</c> 201 body.</summary>
public sealed record ShortUrlCreated(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("short_url")] string ShortUrl,
    [property: JsonPropertyName("url")] string Url);

/// <summary><c>GET /api/urls/{code}</c> body.</summary>
public sealed record ShortUrlDetails(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("clicks")] long Clicks,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

/// <summary>Serialization metadata generated at build time: no reflection on each candidate's first request.</summary>
[JsonSerializable(typeof(CreateShortUrlRequest))]
[JsonSerializable(typeof(ShortUrlCreated))]
[JsonSerializable(typeof(ShortUrlDetails))]
internal sealed partial class UrlShortenerJsonContext : JsonSerializerContext;
