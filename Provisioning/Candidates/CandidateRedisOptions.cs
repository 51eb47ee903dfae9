using System.ComponentModel.DataAnnotations;

namespace Sdp.Provisioning.Candidates;

/// <summary>Section <c>CandidateRedis</c>: how candidate services reach the shared Redis.</summary>
public sealed class CandidateRedisOptions
{
    public const string Section = "CandidateRedis";

    /// <summary>
    /// <c>host:port</c> candidate services connect to, when not the provisioner's own endpoint (e.g. Memorystore's
    /// private IP, reached over Direct VPC egress).
    /// </summary>
    [RegularExpression(@"^[^\s:]+:\d{1,5}$", ErrorMessage = "CandidateRedis:Endpoint must be host:port.")]
    public string? Endpoint { get; set; }

    /// <summary>TLS to Redis (Memorystore with in-transit encryption).</summary>
    public bool Ssl { get; set; }

    /// <summary>
    /// <c>ACL SAVE</c> after each user made or removed, for a Redis that keeps its users in an ACL file (the local
    /// one does); a managed Redis keeps them itself.
    /// </summary>
    public bool SaveUsers { get; set; }
}
