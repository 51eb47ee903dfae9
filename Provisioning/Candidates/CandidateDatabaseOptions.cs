using System.ComponentModel.DataAnnotations;

namespace Sdp.Provisioning.Candidates;

/// <summary>Limits set on every candidate's PostgreSQL role. Section <c>CandidateDatabase</c>.</summary>
public sealed class CandidateDatabaseOptions
{
    public const string Section = "CandidateDatabase";

    /// <summary>
    /// How candidate services reach PostgreSQL, when not as the provisioner does: a host name, a private IP, or a
    /// socket directory such as <c>/cloudsql/project:region:instance</c> (Cloud Run's Cloud SQL volume).
    /// </summary>
    public string? Host { get; set; }

    /// <summary>The port candidate services use with <see cref="Host"/>; the provisioner's port when unset.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    [Range(1, 1000)]
    public int ConnectionLimit { get; set; } = 10;

    [Range(1, 1000)]
    public int MaxPoolSize { get; set; } = 5;

    /// <summary>
    /// How long a candidate service keeps an idle connection open before closing it. Short, because most
    /// services sit idle most of the time (a standby slot until it is claimed, a candidate between scenario runs),
    /// and every open backend costs the shared server: its connection slots, and a share of the work each
    /// candidate's DROP makes every backend do. A busy service keeps its connections; an idle one pays one
    /// connect on its next request.
    /// </summary>
    [Range(1, 3600)]
    public int IdleConnectionLifetimeSeconds { get; set; } = 5;

    [Range(1, 3600)]
    public int StatementTimeoutSeconds { get; set; } = 30;

    [Range(1, 3600)]
    public int IdleInTransactionTimeoutSeconds { get; set; } = 60;

    [Range(1, 1_048_576)]
    public int TempFileLimitKilobytes { get; set; } = 102_400;
}
