using System.Security.Cryptography;
using System.Text;

namespace Sdp.Orchestrator.Api.Auth;

/// <summary>
/// An API key's secret: <c>sdp_</c> and 32 random bytes in base64url. Only its SHA-256 is stored; the secret is
/// shown once, at creation. A fast hash is enough because the secret has 256 bits of entropy (nothing to guess).
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "sdp_";

    /// <summary>Characters of the secret kept in the clear (prefix included), so a key can be recognised in lists.</summary>
    public const int VisibleLength = 12;

    public static string Create() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Lower-case hex of <see cref="Hash"/>: how configuration hands over a key without its secret.</summary>
    public static string HashHex(string secret) => Convert.ToHexStringLower(Hash(secret));

    public static string Visible(string secret) => secret[..Math.Min(VisibleLength, secret.Length)];
}
