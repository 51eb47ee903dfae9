using System.Security.Cryptography;
using System.Text;

namespace Sdp.AppHost.Auth;

/// <summary>
/// The first admin API key of a local platform: created once in the state folder (owner-only), shown once on the
/// console, and handed to the Orchestrator only as its SHA-256, which the Orchestrator makes sure exists as an
/// admin key at start-up. Same format as the Orchestrator's keys: <c>sdp_</c> and 32 random bytes in base64url.
/// </summary>
public sealed class AdminApiKey
{
    public const string Prefix = "sdp_";

    private AdminApiKey(string secret, string path)
    {
        Secret = secret;
        FilePath = path;
    }

    /// <summary>The key itself: for the host's own calls (the dashboard), never for another process's environment.</summary>
    public string Secret { get; }

    /// <summary>Where the key is kept (<c>{state}/orchestrator-api/admin-api-key</c>).</summary>
    public string FilePath { get; }

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 text: what the Orchestrator is given.</summary>
    public string Sha256Hex => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)));

    /// <summary>
    /// Reads the key kept under <paramref name="stateDirectory"/>, or creates it (mode 0600) and prints it once on
    /// <paramref name="console"/>. A kept key is never printed again: only where it is.
    /// </summary>
    public static AdminApiKey ReadOrCreate(string stateDirectory, TextWriter console)
    {
        var directory = Path.Combine(stateDirectory, "orchestrator-api");
        var path = Path.Combine(directory, "admin-api-key");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } kept)
        {
            console.WriteLine($"Admin API key: kept in {path}");
            return new AdminApiKey(kept, path);
        }

        Directory.CreateDirectory(directory);
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        // Owner-only from the first byte: created with its mode, not chmod-ed after the secret is in it.
        using (var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            writer.Write(secret);
        }

        // An existing empty file keeps its old mode with FileMode.Create: set it either way.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var line = new string('=', 78);
        console.WriteLine(line);
        console.WriteLine($"Admin API key (shown once, also saved in {path}):");
        console.WriteLine($"  {secret}");
        console.WriteLine(line);
        return new AdminApiKey(secret, path);
    }
}
