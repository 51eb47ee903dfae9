namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// How a candidate's Cloud Run service is shaped: <c>CloudRun:ServiceDefaults</c>, overridden field by field by
/// <c>CloudRun:Templates:&lt;image name or problem type&gt;</c>. Unset fields fall through to the defaults, then to
/// the values documented on each property.
/// </summary>
public sealed class CandidateServiceSettings
{
    /// <summary>Replaces the spec's image, e.g. a pushed <c>europe-docker.pkg.dev/p/sdp/url-shortener:1.0</c>.</summary>
    public string? Image { get; set; }

    /// <summary>CPU limit; default "1".</summary>
    public string? Cpu { get; set; }

    /// <summary>Memory limit; default "512Mi".</summary>
    public string? Memory { get; set; }

    /// <summary>Default 2: a candidate's service is exercised by scenario traffic, not real users.</summary>
    public int? MaxInstanceCount { get; set; }

    /// <summary>Keeps one instance running (minInstanceCount 1) so the first scenario request meets no cold start; default false (0).</summary>
    public bool? Warm { get; set; }

    /// <summary>Requests per instance (<c>maxInstanceRequestConcurrency</c>); unset: Cloud Run's default (80).</summary>
    public int? ContainerConcurrency { get; set; }

    /// <summary>Request timeout; unset: Cloud Run's default (300 s).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>The identity the candidate runs as; unset: the project's default compute service account.</summary>
    public string? ServiceAccount { get; set; }

    /// <summary>Labels added to the service; <c>managed-by</c> and <c>sdp-deployment-id</c> are always set by Sdp.</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>INGRESS_TRAFFIC_ALL</c>, <c>INGRESS_TRAFFIC_INTERNAL_ONLY</c> or <c>INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER</c>; unset: all.</summary>
    public string? Ingress { get; set; }

    /// <summary>
    /// Default true: anyone may invoke (<c>invokerIamDisabled: true</c>), as the platform calls candidates without
    /// Google identity tokens. False leaves invocation to IAM.
    /// </summary>
    public bool? Public { get; set; }

    /// <summary>Cloud SQL connection names (<c>project:region:instance</c>) mounted under <c>/cloudsql</c>; empty: none.</summary>
    public List<string> CloudSqlInstances { get; set; } = [];

    /// <summary>Direct VPC egress network (name or full resource name); unset with <see cref="VpcSubnetwork"/>: no VPC access.</summary>
    public string? VpcNetwork { get; set; }

    public string? VpcSubnetwork { get; set; }

    /// <summary><c>PRIVATE_RANGES_ONLY</c> (default when VPC access is set) or <c>ALL_TRAFFIC</c>.</summary>
    public string? VpcEgress { get; set; }

    /// <summary>This template's settings over <paramref name="defaults"/>.</summary>
    public CandidateServiceSettings Over(CandidateServiceSettings defaults) => new()
    {
        Image = Image ?? defaults.Image,
        Cpu = Cpu ?? defaults.Cpu,
        Memory = Memory ?? defaults.Memory,
        MaxInstanceCount = MaxInstanceCount ?? defaults.MaxInstanceCount,
        Warm = Warm ?? defaults.Warm,
        ContainerConcurrency = ContainerConcurrency ?? defaults.ContainerConcurrency,
        Timeout = Timeout ?? defaults.Timeout,
        ServiceAccount = ServiceAccount ?? defaults.ServiceAccount,
        Labels = new Dictionary<string, string>(defaults.Labels.Concat(Labels)
            .GroupBy(label => label.Key, StringComparer.Ordinal)
            .Select(group => group.Last()), StringComparer.Ordinal),
        Ingress = Ingress ?? defaults.Ingress,
        Public = Public ?? defaults.Public,
        CloudSqlInstances = CloudSqlInstances.Count > 0 ? CloudSqlInstances : defaults.CloudSqlInstances,
        VpcNetwork = VpcNetwork ?? defaults.VpcNetwork,
        VpcSubnetwork = VpcSubnetwork ?? defaults.VpcSubnetwork,
        VpcEgress = VpcEgress ?? defaults.VpcEgress,
    };
}
