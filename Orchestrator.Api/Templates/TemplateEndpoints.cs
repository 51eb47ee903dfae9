using Sdp.Templates;

namespace Sdp.Orchestrator.Api.Templates;

public static class TemplateEndpoints
{
    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/templates", () => TypedResults.Ok(new TemplateList(
                [.. TemplateCatalog.All.Select(t => new TemplateResponse(t.ProblemType, t.DisplayName, t.Description))])))
            .WithTags("Templates")
            .WithSummary("The problem types Sdp can deploy");
        return app;
    }

    public sealed record TemplateList(IReadOnlyList<TemplateResponse> Templates);

    public sealed record TemplateResponse(string ProblemType, string DisplayName, string Description);
}
