namespace Sdp.Templates.UrlShortener;

/// <summary>What may be shortened: absolute http(s) URLs with a host, at most 2048 characters.</summary>
internal static class TargetUrl
{
    public const int MaxLength = 2048;

    /// <summary>Returns why <paramref name="url"/> cannot be shortened, or null when it can.</summary>
    public static string? Validate(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "url is required.";
        }

        if (url.Length > MaxLength)
        {
            return $"url must be at most {MaxLength} characters.";
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host)
                ? null
                : "url must be an absolute http or https URL.";
    }
}
