using Sdp.Templates.Hosting;

namespace Sdp.Templates;

/// <summary>The problem types Sdp can deploy.</summary>
public static class TemplateCatalog
{
    /// <summary>The runnable templates. Adding a template is one line here.</summary>
    public static IReadOnlyList<ITemplateApp> Apps { get; } =
    [
        UrlShortener.UrlShortenerApp.Instance,
        RateLimiter.RateLimiterApp.Instance,
        DistributedCache.DistributedCacheApp.Instance,
        Notifications.NotificationsApp.Instance,
    ];

    public static IReadOnlyList<TemplateDescriptor> All { get; } = [.. Apps.Select(app => app.Descriptor)];

    public static TemplateDescriptor? Find(string problemType) =>
        All.FirstOrDefault(t => string.Equals(t.ProblemType, problemType, StringComparison.Ordinal));

    public static TemplateDescriptor? FindByImage(string image) =>
        All.FirstOrDefault(t => string.Equals(ImageName(t.Image), ImageName(image), StringComparison.Ordinal));

    /// <summary>The app that runs <paramref name="template"/>.</summary>
    public static ITemplateApp? FindApp(TemplateDescriptor template) =>
        Apps.FirstOrDefault(app => string.Equals(app.Descriptor.ProblemType, template.ProblemType, StringComparison.Ordinal));

    /// <summary>"europe-docker.pkg.dev/p/sdp/url-shortener:1.2" → "url-shortener".</summary>
    public static string ImageName(string image)
    {
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var tagOrDigest = lastSegment.IndexOfAny([':', '@']);
        return tagOrDigest < 0 ? lastSegment : lastSegment[..tagOrDigest];
    }
}
