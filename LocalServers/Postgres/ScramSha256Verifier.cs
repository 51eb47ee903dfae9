using System.Security.Cryptography;
using System.Text;

namespace Sdp.LocalServers.Postgres;

/// <summary>
/// PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802/7677), computed here so that CREATE/ALTER ROLE
/// carries the verifier, never the password: a statement the server logs (on an error, say) reveals nothing usable.
/// </summary>
internal static class ScramSha256Verifier
{
    // PostgreSQL's default (scram_iterations).
    private const int Iterations = 4096;

    /// <summary><c>SCRAM-SHA-256$4096:salt$StoredKey:ServerKey</c>, base64. The password must need no SASLprep (ASCII).</summary>
    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
