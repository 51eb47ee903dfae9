using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Sdp.Templates.Hosting;

/// <summary>
/// Reads a template's settings from its environment at start-up: an unset variable takes the setting's
/// default, a malformed or out-of-range one fails the start with a message naming the variable.
/// </summary>
public static class TemplateSettingReader
{
    public static int ReadInteger(this IConfiguration configuration, TemplateSetting setting, int minimum, int maximum)
    {
        var text = configuration[setting.Name];
        if (string.IsNullOrWhiteSpace(text))
        {
            text = setting.Default;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || value < minimum || value > maximum)
        {
            throw new InvalidOperationException(
                $"The environment variable {setting.Name} must be an integer from {minimum} to {maximum}; it is '{text}'.");
        }

        return value;
    }
}
