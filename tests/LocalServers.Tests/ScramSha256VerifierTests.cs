using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Sdp.LocalServers.Postgres;

namespace LocalServers.Tests;

/// <summary>
/// The SCRAM-SHA-256 verifier a login role's password is set with (CREATE/ALTER ROLE ... PASSWORD 'verifier'):
/// PostgreSQL's stored form, against which a SCRAM exchange (RFC 5802/7677) proves the password.
/// </summary>
public sealed partial class ScramSha256VerifierTests
{
    [Fact]
    public void The_verifier_has_PostgreSQLs_stored_form_with_a_fresh_salt_each_time()
    {
        var first = Parse(ScramSha256Verifier.Create("s3cret"));
        var second = Parse(ScramSha256Verifier.Create("s3cret"));

        Assert.Equal(4096, first.Iterations);
        Assert.Equal((16, 32, 32), (first.Salt.Length, first.StoredKey.Length, first.ServerKey.Length));
        Assert.NotEqual(first.Salt, second.Salt);
        Assert.NotEqual(first.StoredKey, second.StoredKey);
    }

    [Theory]
    [InlineData("s3cret", "s3cret", true)]
    [InlineData("uHi7jGuBvb28054IfgC7m6Ff", "uHi7jGuBvb28054IfgC7m6Ff", true)]
    [InlineData("s3cret", "s3creT", false)]
    [InlineData("s3cret", "", false)]
    public void A_SCRAM_exchange_proves_the_password_and_only_it(string password, string tried, bool accepted)
    {
        var verifier = Parse(ScramSha256Verifier.Create(password));
        var authMessage = Encoding.UTF8.GetBytes("n=,r=client-nonce,r=client-nonceserver-nonce,s=salt,i=4096,c=biws,r=client-nonceserver-nonce");

        // The client, from the salt and iteration count the server sends.
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(tried), verifier.Salt, verifier.Iterations,
            HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
        var proof = Xor(clientKey, HMACSHA256.HashData(SHA256.HashData(clientKey), authMessage));

        // The server, from the verifier alone.
        var recoveredClientKey = Xor(proof, HMACSHA256.HashData(verifier.StoredKey, authMessage));
        Assert.Equal(accepted, SHA256.HashData(recoveredClientKey).SequenceEqual(verifier.StoredKey));

        // And the server's signature, which the client checks.
        var serverSignature = HMACSHA256.HashData(verifier.ServerKey, authMessage);
        Assert.Equal(accepted, HMACSHA256.HashData(HMACSHA256.HashData(saltedPassword, "Server Key"u8), authMessage).SequenceEqual(serverSignature));
    }

    private static (int Iterations, byte[] Salt, byte[] StoredKey, byte[] ServerKey) Parse(string verifier)
    {
        var match = Verifier().Match(verifier);
        Assert.True(match.Success, verifier);
        return (int.Parse(match.Groups["iterations"].Value, System.Globalization.CultureInfo.InvariantCulture),
            Convert.FromBase64String(match.Groups["salt"].Value), Convert.FromBase64String(match.Groups["stored"].Value),
            Convert.FromBase64String(match.Groups["server"].Value));
    }

    private static byte[] Xor(byte[] left, byte[] right) => [.. left.Zip(right, (l, r) => (byte)(l ^ r))];

    // Base64 and '$' only: nothing in it needs quoting in a SQL string literal.
    [GeneratedRegex(@"^SCRAM-SHA-256\$(?<iterations>\d+):(?<salt>[A-Za-z0-9+/=]+)\$(?<stored>[A-Za-z0-9+/=]+):(?<server>[A-Za-z0-9+/=]+)$")]
    private static partial Regex Verifier();
}
