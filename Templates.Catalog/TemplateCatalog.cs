namespace Sdp.Templates.Catalog;

/// <summary>The problem types Sdp can deploy, as the platform reads them.</summary>
public static class TemplateCatalog
{
    /// <summary>Every deployable template. Adding one is a line here and its app in <c>TemplateApps</c>.</summary>
    public static IReadOnlyList<TemplateDescriptor> All { get; } =
    [
        UrlShortenerTemplate.Descriptor,
        RateLimiterTemplate.Descriptor,
        DistributedCacheTemplate.Descriptor,
        NotificationsTemplate.Descriptor,
        CustomServiceTemplate.Descriptor,
    ];

    /// <summary>The templates a standby slot can hold: all but those whose tables come with the request's spec.</summary>
    public static IReadOnlyList<TemplateDescriptor> Prebuildable { get; } = [.. All.Where(t => !t.RequiresServiceSpec)];

    public static TemplateDescriptor? Find(string problemType) =>
        All.FirstOrDefault(t => string.Equals(t.ProblemType, problemType, StringComparison.Ordinal));

    public static TemplateDescriptor? FindByImage(string image) =>
        All.FirstOrDefault(t => string.Equals(ImageName(t.Image), ImageName(image), StringComparison.Ordinal));

    /// <summary>"europe-docker.pkg.dev/p/sdp/url-shortener:1.2" → "url-shortener".</summary>
    public static string ImageName(string image)
    {
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var tagOrDigest = lastSegment.IndexOfAny([':', '@']);
        return tagOrDigest < 0 ? lastSegment : lastSegment[..tagOrDigest];
    }
}
