using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Sdp.Templates.UrlShortener;

internal static class ShortUrlEndpoints
{
    public static IEndpointRouteBuilder MapShortUrlEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var urls = endpoints.MapGroup("/api/urls");
        urls.MapPost("/", CreateAsync);
        urls.MapGet("/{code}", GetDetailsAsync);
        // Literal routes (/health, /api/...) take precedence over this catch-all of one segment.
        endpoints.MapGet("/{code}", RedirectAsync);
        return endpoints;
    }

    private static async Task<Results<Created<ShortUrlCreated>, ValidationProblem>> CreateAsync(
        CreateShortUrlRequest? request, HttpRequest httpRequest, IShortUrlService shortUrls, CancellationToken cancellationToken)
    {
        var url = request?.Url;
        if (TargetUrl.Validate(url) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = [problem] });
        }

        var code = await shortUrls.CreateAsync(url!, cancellationToken);
        var shortUrl = $"{httpRequest.Scheme}://{httpRequest.Host}{httpRequest.PathBase}/{code}";
        return TypedResults.Created($"/api/urls/{code}", new ShortUrlCreated(code, shortUrl, url!));
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> RedirectAsync(
        string code, IShortUrlService shortUrls, CancellationToken cancellationToken)
    {
        var url = ShortCode.IsWellFormed(code) ? await shortUrls.ResolveAsync(code, cancellationToken) : null;
        return url is null ? NotFound(code) : TypedResults.Redirect(url);
    }

    private static async Task<Results<Ok<ShortUrlDetails>, ProblemHttpResult>> GetDetailsAsync(
        string code, IShortUrlService shortUrls, CancellationToken cancellationToken)
    {
        var details = ShortCode.IsWellFormed(code) ? await shortUrls.FindDetailsAsync(code, cancellationToken) : null;
        return details is null ? NotFound(code) : TypedResults.Ok(details);
    }

    private static ProblemHttpResult NotFound(string code) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Short URL not found",
            detail: $"No short URL has the code '{code}'.");
}
