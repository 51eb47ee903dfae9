using System.Text.RegularExpressions;

namespace Sdp.Provisioning.CloudRun;

/// <summary>The checks of one <see cref="CandidateServiceSettings"/> section, as Cloud Run would refuse it at deploy time.</summary>
internal static partial class CandidateServiceSettingsValidator
{
    private static readonly string[] Ingresses =
        ["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"];

    private static readonly string[] Egresses = ["ALL_TRAFFIC", "PRIVATE_RANGES_ONLY"];

    public static void Validate(string section, CandidateServiceSettings settings, List<string> failures)
    {
        if (settings.Image is { } image && string.IsNullOrWhiteSpace(image))
        {
            failures.Add($"{section}:Image must not be empty when set.");
        }

        if (settings.Cpu is { } cpu && !Cpu().IsMatch(cpu))
        {
            failures.Add($"{section}:Cpu must be a CPU count such as 1, 2 or 1000m.");
        }

        if (settings.Memory is { } memory && !Memory().IsMatch(memory))
        {
            failures.Add($"{section}:Memory must be a quantity such as 512Mi or 2Gi.");
        }

        if (settings.MaxInstanceCount is < 1 or > 1000)
        {
            failures.Add($"{section}:MaxInstanceCount must be between 1 and 1000.");
        }

        if (settings.ContainerConcurrency is < 1 or > 1000)
        {
            failures.Add($"{section}:ContainerConcurrency must be between 1 and 1000.");
        }

        if (settings.Timeout is { } timeout && (timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromHours(1)))
        {
            failures.Add($"{section}:Timeout must be between 1 second and 1 hour.");
        }

        if (settings.ServiceAccount is { } account && !account.Contains('@', StringComparison.Ordinal))
        {
            failures.Add($"{section}:ServiceAccount must be a service account email.");
        }

        if (settings.Ingress is { } ingress && !Ingresses.Contains(ingress, StringComparer.Ordinal))
        {
            failures.Add($"{section}:Ingress must be one of {string.Join(", ", Ingresses)}.");
        }

        foreach (var (key, value) in settings.Labels)
        {
            if (!LabelKey().IsMatch(key) || !LabelValue().IsMatch(value))
            {
                failures.Add($"{section}:Labels:{key} is not a valid label (lowercase letters, digits, '-' and '_', at most 63).");
            }
        }

        foreach (var instance in settings.CloudSqlInstances)
        {
            if (!CloudSqlConnectionName().IsMatch(instance))
            {
                failures.Add($"{section}:CloudSqlInstances entry '{instance}' must be a connection name project:region:instance.");
            }
        }

        if (settings.VpcEgress is { } egress)
        {
            if (!Egresses.Contains(egress, StringComparer.Ordinal))
            {
                failures.Add($"{section}:VpcEgress must be ALL_TRAFFIC or PRIVATE_RANGES_ONLY.");
            }

            if (settings.VpcNetwork is null && settings.VpcSubnetwork is null)
            {
                failures.Add($"{section}:VpcEgress needs VpcNetwork or VpcSubnetwork.");
            }
        }
    }

    [GeneratedRegex(@"^([1-9][0-9]*(\.[0-9]+)?|[0-9]+m)$", RegexOptions.CultureInvariant)]
    private static partial Regex Cpu();

    [GeneratedRegex("^[1-9][0-9]*(Ki|Mi|Gi|k|M|G)$", RegexOptions.CultureInvariant)]
    private static partial Regex Memory();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelKey();

    [GeneratedRegex("^[a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[a-z][a-z0-9-:.]*:[a-z0-9-]+:[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CloudSqlConnectionName();
}
