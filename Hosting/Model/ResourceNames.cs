using System.Text.RegularExpressions;

namespace Sdp.Hosting;

/// <summary>Aspire's rule for resource names: they become environment-variable parts, host names and folder names.</summary>
internal static partial class ResourceNames
{
    public static void Validate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 64 || !ValidName().IsMatch(name) || name.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Resource name '{name}' is invalid: use ASCII letters, digits and single hyphens, start with a letter, "
                + "end with a letter or digit, at most 64 characters.", nameof(name));
        }
    }

    [GeneratedRegex("^[a-zA-Z]([a-zA-Z0-9-]*[a-zA-Z0-9])?$")]
    private static partial Regex ValidName();
}
