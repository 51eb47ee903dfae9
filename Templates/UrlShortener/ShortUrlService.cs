namespace Sdp.Templates.UrlShortener;

/// <summary>Creates codes, resolves them for redirects (cache first) and reports them with their click counts.</summary>
internal sealed class ShortUrlService(ShortUrlStore store, ShortUrlCache cache, PendingClicks pendingClicks) : IShortUrlService
{
    private const int MaxCodeAttempts = 6;

    /// <summary>Stores <paramref name="url"/> under a new random code; a taken code is retried with a fresh one.</summary>
    public async Task<string> CreateAsync(string url, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxCodeAttempts; attempt++)
        {
            var code = ShortCode.New(attempt);
            if (await store.TryInsertAsync(code, url, cancellationToken) is not null)
            {
                return code;
            }
        }

        throw new InvalidOperationException($"No free short code after {MaxCodeAttempts} attempts.");
    }

    /// <summary>The target of <paramref name="code"/> for a redirect, counting the click; null when unknown.</summary>
    public async Task<string?> ResolveAsync(string code, CancellationToken cancellationToken)
    {
        var url = await cache.FindUrlAsync(code, cancellationToken);
        if (url is null)
        {
            url = await store.FindUrlAsync(code, cancellationToken);
            if (url is null)
            {
                return null;
            }

            await cache.StoreAsync(code, url, cancellationToken);
        }

        pendingClicks.Add(code);
        return url;
    }

    public async Task<ShortUrlDetails?> FindDetailsAsync(string code, CancellationToken cancellationToken)
    {
        var uncounted = pendingClicks.Take(code);
        try
        {
            return await store.FindDetailsAsync(code, uncounted, cancellationToken);
        }
        catch
        {
            if (uncounted > 0)
            {
                pendingClicks.Restore(new Dictionary<string, long> { [code] = uncounted });
            }

            throw;
        }
    }
}
