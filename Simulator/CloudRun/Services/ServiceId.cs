using System.Text.RegularExpressions;

namespace Sdp.Simulator.CloudRun.Services;

/// <summary>Cloud Run's rule for a service id: a DNS label that starts with a letter and has fewer than 50 characters.</summary>
public static partial class ServiceId
{
    public const int MaxLength = 49;

    public static bool IsValid(string? serviceId) => serviceId is not null && Pattern().IsMatch(serviceId);

    public static string Describe(string? serviceId) =>
        $"Invalid service_id '{serviceId}': it must start with a letter, contain only lowercase letters, digits "
        + $"and hyphens, not end with a hyphen, and be at most {MaxLength} characters long.";

    [GeneratedRegex("^[a-z](?:[a-z0-9-]{0,47}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
