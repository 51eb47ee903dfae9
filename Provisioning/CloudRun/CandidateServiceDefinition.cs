using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.CloudRun;

/// <summary>The Cloud Run Service Sdp creates for one candidate.</summary>
public static class CandidateServiceDefinition
{
    /// <summary>Small and bounded: a candidate's service is exercised by scenario traffic, not real users.</summary>
    public const int MaxInstances = 2;

    public static CloudRunService From(CandidateServiceSpec spec) => new()
    {
        Labels = spec.Labels,
        // Public like the seed's services: the platform calls them without Google identity tokens.
        InvokerIamDisabled = true,
        Template = new CloudRunRevisionTemplate
        {
            Scaling = new CloudRunRevisionScaling { MaxInstanceCount = MaxInstances },
            Containers =
            [
                new CloudRunContainer
                {
                    Image = spec.Image,
                    // Ordered so the same spec always produces the same request.
                    Env = [.. spec.Environment
                        .OrderBy(variable => variable.Key, StringComparer.Ordinal)
                        .Select(variable => new CloudRunEnvVar(variable.Key, variable.Value))],
                    Resources = new CloudRunResourceRequirements
                    {
                        Limits = new Dictionary<string, string> { ["cpu"] = "1", ["memory"] = "512Mi" },
                    },
                },
            ],
        },
    };

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

        var existingEnv = (existingContainer.Env ?? []).ToDictionary(v => v.Name, v => v.Value ?? "", StringComparer.Ordinal);
        var desiredEnv = (desiredContainer.Env ?? []).ToDictionary(v => v.Name, v => v.Value ?? "", StringComparer.Ordinal);
        return existingEnv.Count == desiredEnv.Count
            && desiredEnv.All(variable => existingEnv.TryGetValue(variable.Key, out var value)
                && string.Equals(value, variable.Value, StringComparison.Ordinal));
    }
}
