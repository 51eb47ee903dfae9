using Sdp.Templates.Catalog;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// The candidate environment variables that carry a credential, and the Secret Manager secret each is kept in:
/// named from the service id (<c>sdp-sub-42-database</c>) so removal finds them without any stored state.
/// </summary>
public static class CandidateSecrets
{
    /// <summary>Variable → suffix of its secret's id.</summary>
    public static IReadOnlyDictionary<string, string> Credentials { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [CandidateEnvironment.Database] = "database",
        [CandidateEnvironment.Redis] = "redis",
    };

    public static string SecretId(string serviceId, string suffix) => $"{serviceId}-{suffix}";

    /// <summary>Every secret id a service may have, whether or not its deploy got as far as creating it.</summary>
    public static IEnumerable<string> SecretIds(string serviceId) =>
        Credentials.Values.Select(suffix => SecretId(serviceId, suffix));
}
