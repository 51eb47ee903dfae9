namespace Sdp.Templates.UrlShortener;

/// <summary>The URL shortener's core, behind an interface so a test can swap in a deliberately broken one.</summary>
internal interface IShortUrlService
{
    /// <summary>Stores <paramref name="url"/> under a new code and returns the code.</summary>
    Task<string> CreateAsync(string url, CancellationToken cancellationToken);

    /// <summary>The target of <paramref name="code"/> for a redirect, counting the click; null when unknown.</summary>
    Task<string?> ResolveAsync(string code, CancellationToken cancellationToken);

    Task<ShortUrlDetails?> FindDetailsAsync(string code, CancellationToken cancellationToken);
}
