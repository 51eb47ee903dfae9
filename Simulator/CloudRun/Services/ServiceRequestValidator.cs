using Sdp.Simulator.CloudRun.Model;

namespace Sdp.Simulator.CloudRun.Services;

/// <summary>An INVALID_ARGUMENT: which field and why.</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>Checks a CreateService request the way Cloud Run does, before anything is created.</summary>
public static class ServiceRequestValidator
{
    /// <summary>Cloud Run sets these itself and refuses them in a container's environment.</summary>
    private static readonly HashSet<string> ReservedEnvNames = new(StringComparer.Ordinal)
    {
        "PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION",
    };

    public static FieldViolation? Validate(string? serviceId, Service service)
    {
        if (string.IsNullOrEmpty(serviceId))
        {
            return new("service_id", "The service_id query parameter is required.");
        }

        if (!ServiceId.IsValid(serviceId))
        {
            return new("service_id", ServiceId.Describe(serviceId));
        }

        if (service.Template is not { } template)
        {
            return new("service.template", "service.template is required.");
        }

        if (template.Containers is not { Count: > 0 } containers)
        {
            return new("service.template.containers", "At least one container is required.");
        }

        if (containers.Count > 1)
        {
            return new("service.template.containers", "The Simulator runs a single container per service.");
        }

        if (string.IsNullOrWhiteSpace(containers[0].Image))
        {
            return new("service.template.containers[0].image", "service.template.containers[0].image is required.");
        }

        return ValidateEnv(containers[0].Env ?? []);
    }

    private static FieldViolation? ValidateEnv(IReadOnlyList<EnvVar> env)
    {
        for (var index = 0; index < env.Count; index++)
        {
            var field = $"service.template.containers[0].env[{index}]";
            var variable = env[index];
            if (string.IsNullOrEmpty(variable.Name) || variable.Name.Contains('='))
            {
                return new($"{field}.name", "An environment variable needs a name without '='.");
            }

            if (ReservedEnvNames.Contains(variable.Name))
            {
                return new($"{field}.name", $"The following reserved env names were provided: {variable.Name}. These values are automatically set by the system.");
            }

            if (variable.ValueSource is not null)
            {
                return new($"{field}.valueSource", "The Simulator does not resolve Secret Manager references; pass a literal value.");
            }
        }

        return null;
    }
}
