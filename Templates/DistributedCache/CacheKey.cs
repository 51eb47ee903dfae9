using System.Buffers;

namespace Sdp.Templates.DistributedCache;

/// <summary>Keys are 1..250 characters of URL-safe text: RFC 3986's unreserved characters, so a key is its own path segment.</summary>
internal static class CacheKey
{
    public const int MaxLength = 250;

    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    public static bool IsValid(string key) =>
        key.Length is >= 1 and <= MaxLength && !key.AsSpan().ContainsAnyExcept(Unreserved);

    public const string Rule = "key must be 1 to 250 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~'.";
}
