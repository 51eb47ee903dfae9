using System.Security.Cryptography;
using System.Text;

namespace Sdp.Provisioning.Candidates;

/// <summary>
/// Builds PostgreSQL's SCRAM-SHA-256 password verifier on the client, so that <c>CREATE ROLE … PASSWORD</c>
/// never carries the plain password (DDL takes no parameters, and statements can reach logs and traces).
/// Format: <c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c> (RFC 5802, RFC 7677).
/// </summary>
public static class ScramVerifier
{
    public const int Iterations = 4096;

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return Create(password, salt, Iterations);
    }

    public static string Create(string password, byte[] salt, int iterations)
    {
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}" +
               $"${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
