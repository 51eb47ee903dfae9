namespace Sdp.Templates.Catalog;

/// <summary>
/// One setting a template accepts, read from its container environment variable <see cref="Name"/>
/// (e.g. <c>RATE_LIMITER_DEFAULT_LIMIT</c>); <see cref="Default"/> applies when it is unset.
/// </summary>
/// <param name="Type">"integer", "string" or "boolean".</param>
public sealed record TemplateSetting(string Name, string Type, string Default, string Description)
{
    /// <summary>The smallest value an integer setting accepts.</summary>
    public int Minimum { get; init; } = int.MinValue;

    /// <summary>The largest value an integer setting accepts.</summary>
    public int Maximum { get; init; } = int.MaxValue;

    /// <summary>Why <paramref name="value"/> is not acceptable, or null when it is.</summary>
    public string? Check(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
        && number >= Minimum && number <= Maximum
            ? null
            : $"{Name} must be an integer from {Minimum} to {Maximum}.";
}
