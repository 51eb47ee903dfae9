using System.Buffers;
using System.Security.Cryptography;

namespace Sdp.Templates.UrlShortener;

/// <summary>Short codes: random base62, so they are neither guessable in sequence nor tied to a counter.</summary>
internal static class ShortCode
{
    public const int Length = 7;
    private const int MaxLength = 32;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    /// <summary>62^7 ≈ 3.5·10^12 codes; a collision is retried with a fresh, eventually longer, code.</summary>
    public static string New(int attempt) => RandomNumberGenerator.GetString(Alphabet, Length + attempt / 2);

    /// <summary>Anything else cannot be a code: answered 404 without a database round trip.</summary>
    public static bool IsWellFormed(string code) =>
        code.Length is >= Length and <= MaxLength && !code.AsSpan().ContainsAnyExcept(AlphabetValues);
}
