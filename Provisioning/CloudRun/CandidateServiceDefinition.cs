using System.Globalization;
using Sdp.Provisioning.Targets;
using Sdp.Templates.Catalog;

namespace Sdp.Provisioning.CloudRun;

/// <summary>The Cloud Run Service Sdp creates for one candidate.</summary>
public static class CandidateServiceDefinition
{
    public const string DefaultCpu = "1";
    public const string DefaultMemory = "512Mi";

    /// <summary>Small and bounded: a candidate's service is exercised by scenario traffic, not real users.</summary>
    public const int MaxInstances = 2;

    public const string ManagedByLabel = "managed-by";
    public const string ManagedByValue = "sdp";
    public const string DeploymentIdLabel = "sdp-deployment-id";
    public const string CloudSqlVolumeName = "cloudsql";
    public const string CloudSqlMountPath = "/cloudsql";
    public const string DefaultVpcEgress = "PRIVATE_RANGES_ONLY";

    /// <summary>The service with built-in defaults and every variable as a plain value.</summary>
    public static CloudRunService From(CandidateServiceSpec spec) => From(spec, new CandidateServiceSettings(), secrets: null);

    /// <summary>
    /// The service shaped by <paramref name="settings"/> (already merged over the defaults). Variables named in
    /// <paramref name="secrets"/> reference that Secret Manager secret (<c>projects/p/secrets/ID</c>) instead of
    /// carrying their value.
    /// </summary>
    public static CloudRunService From(CandidateServiceSpec spec, CandidateServiceSettings settings,
        IReadOnlyDictionary<string, string>? secrets)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings.Labels.Concat(spec.Labels))
        {
            labels[key] = value;
        }

        labels[ManagedByLabel] = ManagedByValue;
        labels[DeploymentIdLabel] = spec.DeploymentId.ToString(CultureInfo.InvariantCulture);

        var cloudSql = settings.CloudSqlInstances.Count > 0;
        return new CloudRunService
        {
            Labels = labels,
            Ingress = settings.Ingress,
            InvokerIamDisabled = settings.Public ?? true,
            Template = new CloudRunRevisionTemplate
            {
                Scaling = new CloudRunRevisionScaling
                {
                    // Zero is the API's default; sent only when warm so the default request stays minimal.
                    MinInstanceCount = settings.Warm == true ? 1 : null,
                    MaxInstanceCount = settings.MaxInstanceCount ?? MaxInstances,
                },
                ServiceAccount = settings.ServiceAccount,
                Timeout = settings.Timeout is { } timeout ? Duration(timeout) : null,
                MaxInstanceRequestConcurrency = settings.ContainerConcurrency,
                VpcAccess = settings.VpcNetwork is null && settings.VpcSubnetwork is null
                    ? null
                    : new CloudRunVpcAccess(
                        [new CloudRunNetworkInterface(settings.VpcNetwork, settings.VpcSubnetwork)],
                        settings.VpcEgress ?? DefaultVpcEgress),
                Containers =
                [
                    new CloudRunContainer
                    {
                        Image = settings.Image ?? spec.Image,
                        // Ordered so the same spec always produces the same request.
                        Env = [.. spec.Environment
                            .OrderBy(variable => variable.Key, StringComparer.Ordinal)
                            .Select(variable => EnvVar(variable.Key, variable.Value, secrets))],
                        Resources = new CloudRunResourceRequirements
                        {
                            Limits = new Dictionary<string, string>
                            {
                                ["cpu"] = settings.Cpu ?? DefaultCpu,
                                ["memory"] = settings.Memory ?? DefaultMemory,
                            },
                        },
                        VolumeMounts = cloudSql ? [new CloudRunVolumeMount(CloudSqlVolumeName, CloudSqlMountPath)] : null,
                    },
                ],
                Volumes = cloudSql
                    ? [new CloudRunVolume(CloudSqlVolumeName, new CloudRunCloudSqlInstance([.. settings.CloudSqlInstances]))]
                    : null,
            },
        };
    }

    /// <summary>The settings for <paramref name="image"/>: its template's section (by image name, then problem type) over the defaults.</summary>
    public static CandidateServiceSettings SettingsFor(string image, CloudRunOptions options)
    {
        var imageName = TemplateCatalog.ImageName(image);
        var problemType = TemplateCatalog.FindByImage(image)?.ProblemType;
        var template = Find(options.Templates, imageName) ?? (problemType is null ? null : Find(options.Templates, problemType));
        return template?.Over(options.ServiceDefaults) ?? options.ServiceDefaults;
    }

    /// <summary>Whether <paramref name="existing"/> runs what <paramref name="desired"/> asks for (image and environment).</summary>
    public static bool RunsSameContainer(CloudRunService existing, CloudRunService desired)
    {
        var existingContainer = existing.Template?.Containers?.FirstOrDefault();
        var desiredContainer = desired.Template?.Containers?.FirstOrDefault();
        if (existingContainer is null || desiredContainer is null
            || !string.Equals(existingContainer.Image, desiredContainer.Image, StringComparison.Ordinal))
        {
            return false;
        }

        var existingEnv = (existingContainer.Env ?? []).ToDictionary(v => v.Name, Comparable, StringComparer.Ordinal);
        var desiredEnv = (desiredContainer.Env ?? []).ToDictionary(v => v.Name, Comparable, StringComparer.Ordinal);
        return existingEnv.Count == desiredEnv.Count
            && desiredEnv.All(variable => existingEnv.TryGetValue(variable.Key, out var value)
                && string.Equals(value, variable.Value, StringComparison.Ordinal));
    }

    private static CloudRunEnvVar EnvVar(string name, string value, IReadOnlyDictionary<string, string>? secrets) =>
        secrets is not null && secrets.TryGetValue(name, out var secret)
            ? new CloudRunEnvVar(name, null, new CloudRunEnvVarSource(new CloudRunSecretKeySelector(secret, "latest")))
            : new CloudRunEnvVar(name, value);

    /// <summary>A value or a secret reference, in one string, so either kind of difference is seen.</summary>
    private static string Comparable(CloudRunEnvVar variable) =>
        variable.ValueSource?.SecretKeyRef is { } secret ? $"secret:{secret.Secret}@{secret.Version}" : "value:" + (variable.Value ?? "");

    /// <summary>A <c>google.protobuf.Duration</c> in JSON: seconds with an "s".</summary>
    private static string Duration(TimeSpan value) =>
        value.TotalSeconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s";

    private static CandidateServiceSettings? Find(Dictionary<string, CandidateServiceSettings> templates, string key) =>
        templates.FirstOrDefault(entry => string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
}
