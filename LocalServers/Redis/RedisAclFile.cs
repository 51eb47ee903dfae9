using System.Security.Cryptography;
using System.Text;

namespace Sdp.LocalServers.Redis;

/// <summary>
/// The ACL file a local Redis loads its users from. With an ACL file, Redis ignores <c>requirepass</c> and the default
/// user is whatever the file says (no password at all when the file does not name it), so the default user's line is
/// written before every start: on, every key and channel, and the password by its SHA-256 (the file holds no
/// password). The other users (the candidates', saved by <c>ACL SAVE</c>) are kept as they are.
/// </summary>
internal static class RedisAclFile
{
    private const string DefaultUserPrefix = "user default ";

    public static async Task SetDefaultUserAsync(string path, string password, CancellationToken cancellationToken)
    {
        var others = File.Exists(path)
            ? (await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
                .Where(line => line.Length > 0 && !line.StartsWith(DefaultUserPrefix, StringComparison.Ordinal))
            : [];
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
        string[] lines = [$"{DefaultUserPrefix}on #{hash} ~* &* +@all", .. others];

        // Written beside and moved over, so a kill half-way never leaves Redis a file it refuses to start with.
        var temporary = path + ".tmp";
        await File.WriteAllLinesAsync(temporary, lines, cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }
}
