using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sdp.Templates.DistributedCache;
using Sdp.Templates.Notifications;
using Sdp.Templates.RateLimiter;
using Sdp.Templates.UrlShortener;

namespace Sdp.Templates.Tests.Broken;

/// <summary>
/// Deliberately broken variants of each template, for proving that a scenario check can fail: each returns an
/// action for <see cref="Hosting.TemplateAppContext.ConfigureServices"/> (or
/// <see cref="Infrastructure.CandidateStores.StartAsync(TemplateDescriptor, IReadOnlyDictionary{string, string}?, Action{IServiceCollection}?, CancellationToken)"/>)
/// that swaps the template's core component for a faulty one. Everything else (API, validation, stores) is the real thing.
/// </summary>
public static class BrokenTemplates
{
    /// <summary>Rate limiter that allows <c>limit + 1</c> units per window: one request too many gets through.</summary>
    public static Action<IServiceCollection> RateLimiterAllowingOneTooMany() => services =>
    {
        services.RemoveAll<IRateLimiter>();
        services.AddSingleton<IRateLimiter>(provider =>
            new OneTooManyRateLimiter(ActivatorUtilities.CreateInstance<SlidingWindowLimiter>(provider)));
    };

    /// <summary>Cache that ignores expiry on reads: Redis copies never expire and expired rows are still served.</summary>
    public static Action<IServiceCollection> CacheIgnoringExpiry() => services =>
    {
        services.RemoveAll<ICacheService>();
        services.AddSingleton<ICacheService, ExpiryBlindCacheService>();
    };

    /// <summary>
    /// Notification delivery that holds each odd-sequence notification back for half a second while later ones go
    /// out: two notifications for a user created within that time are delivered out of order.
    /// </summary>
    public static Action<IServiceCollection> NotificationsDeliveringOutOfOrder() => services =>
    {
        services.RemoveAll<INotificationDelivery>();
        services.AddSingleton<INotificationDelivery, OutOfOrderNotificationDelivery>();
    };

    /// <summary>URL shortener that resolves codes from its Redis cache only, which creation never fills: a fresh code gets 404.</summary>
    public static Action<IServiceCollection> UrlShortenerForgettingFreshCodes() => services =>
    {
        services.RemoveAll<IShortUrlService>();
        services.AddSingleton<IShortUrlService, CacheOnlyShortUrlService>();
    };
}
