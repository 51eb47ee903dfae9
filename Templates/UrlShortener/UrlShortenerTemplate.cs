namespace Sdp.Templates.UrlShortener;

public static class UrlShortenerTemplate
{
    public static TemplateDescriptor Descriptor { get; } = new(
        ProblemType: "url_shortener",
        DisplayName: "URL shortener",
        Description: "Shortens URLs and redirects short codes, with a Redis cache in front of PostgreSQL.",
        Image: "sdp/url-shortener:latest",
        SchemaSql: """
            CREATE TABLE IF NOT EXISTS urls (
                code        text PRIMARY KEY,
                url         text NOT NULL,
                clicks      bigint NOT NULL DEFAULT 0,
                created_at  timestamptz NOT NULL DEFAULT now()
            );
            """);
}
