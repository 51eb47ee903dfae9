using Sdp.Templates.Hosting;

namespace Sdp.Templates;

/// <summary>The app that runs each catalogue entry: what hosts candidate services (the Simulator, the template image) reads.</summary>
public static class TemplateApps
{
    /// <summary>One app per <see cref="TemplateCatalog.All"/> entry, in the same order.</summary>
    public static IReadOnlyList<ITemplateApp> All { get; } =
    [
        UrlShortener.UrlShortenerApp.Instance,
        RateLimiter.RateLimiterApp.Instance,
        DistributedCache.DistributedCacheApp.Instance,
        Notifications.NotificationsApp.Instance,
        CustomService.CustomServiceApp.Instance,
    ];

    /// <summary>The app that runs <paramref name="template"/>, or null when none does.</summary>
    public static ITemplateApp? Find(TemplateDescriptor template) =>
        All.FirstOrDefault(app => string.Equals(app.Descriptor.ProblemType, template.ProblemType, StringComparison.Ordinal));
}
