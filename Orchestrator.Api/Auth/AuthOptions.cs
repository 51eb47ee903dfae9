using System.ComponentModel.DataAnnotations;

namespace Sdp.Orchestrator.Api.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Lower-case hex SHA-256 of an admin key to make sure exists at start-up: how the first admin key gets in
    /// without its secret ever reaching this service's configuration.
    /// </summary>
    [RegularExpression("^[0-9a-f]{64}$", ErrorMessage = "Auth:BootstrapAdminKeySha256 must be 64 lower-case hex digits.")]
    public string? BootstrapAdminKeySha256 { get; set; }

    /// <summary>
    /// How long a key that authenticated is remembered (0: every request reads it). Any change to the stored keys
    /// makes every replica forget them at once; this bounds how long one is kept without a change.
    /// </summary>
    [Range(0, 3600, ErrorMessage = "Auth:KeyCacheSeconds must be from 0 to 3600.")]
    public int KeyCacheSeconds { get; set; } = 60;
}
