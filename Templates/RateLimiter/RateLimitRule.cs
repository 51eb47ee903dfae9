using System.Text.RegularExpressions;

namespace Sdp.Templates.RateLimiter;

/// <summary>At most <see cref="Limit"/> units of cost per key in any <see cref="WindowSeconds"/>-second window.</summary>
internal sealed partial record RateLimitRule(string Name, int Limit, int WindowSeconds, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const string DefaultName = "default";
    public const int MinLimit = RateLimiterTemplate.MinLimit;
    public const int MaxLimit = RateLimiterTemplate.MaxLimit;
    public const int MinWindowSeconds = RateLimiterTemplate.MinWindowSeconds;
    public const int MaxWindowSeconds = RateLimiterTemplate.MaxWindowSeconds;

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>The reason <paramref name="limit"/> is not allowed, or null.</summary>
    public static string? ValidateLimit(long? limit) =>
        limit is null ? "limit is required."
        : limit is < MinLimit or > MaxLimit ? $"limit must be from {MinLimit} to {MaxLimit:N0}."
        : null;

    public static string? ValidateWindow(long? windowSeconds) =>
        windowSeconds is null ? "window_seconds is required."
        : windowSeconds is < MinWindowSeconds or > MaxWindowSeconds ? $"window_seconds must be from {MinWindowSeconds} to {MaxWindowSeconds:N0}."
        : null;

    public RuleResponse ToResponse() => new(Name, Limit, WindowSeconds, CreatedAt, UpdatedAt);

    [GeneratedRegex("^[a-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
