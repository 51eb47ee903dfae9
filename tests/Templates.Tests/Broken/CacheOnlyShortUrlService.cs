using Sdp.Templates.UrlShortener;

namespace Sdp.Templates.Tests.Broken;

/// <summary>Resolves codes from the Redis cache alone, which only a redirect served from PostgreSQL fills: so never.</summary>
internal sealed class CacheOnlyShortUrlService(ShortUrlService real, ShortUrlCache cache) : IShortUrlService
{
    public Task<string> CreateAsync(string url, CancellationToken cancellationToken) => real.CreateAsync(url, cancellationToken);

    public Task<string?> ResolveAsync(string code, CancellationToken cancellationToken) => cache.FindUrlAsync(code, cancellationToken);

    public Task<ShortUrlDetails?> FindDetailsAsync(string code, CancellationToken cancellationToken) =>
        real.FindDetailsAsync(code, cancellationToken);
}
