using Sdp.Templates.Catalog;

namespace Sdp.Orchestrator.Api.Templates;

public static class TemplateEndpoints
{
    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/templates", () => TypedResults.Ok(new TemplateList([.. TemplateCatalog.All.Select(TemplateResponse.From)])))
            .WithTags("Templates")
            .WithSummary("The problem types Sdp can deploy, with their expected deploy time and the settings each accepts");
        return app;
    }

    public sealed record TemplateList(IReadOnlyList<TemplateResponse> Templates);

    /// <param name="ExpectedDeploySeconds">A typical local deploy, measured; for showing progress, not a promise.</param>
    /// <param name="Settings">What <c>settings</c> in <c>POST /api/deployments</c> may set for this template.</param>
    public sealed record TemplateResponse(
        string ProblemType,
        string DisplayName,
        string Description,
        double ExpectedDeploySeconds,
        IReadOnlyList<TemplateSettingResponse> Settings)
    {
        public static TemplateResponse From(TemplateDescriptor template) => new(
            template.ProblemType,
            template.DisplayName,
            template.Description,
            template.ExpectedDeploySeconds,
            [.. template.Settings.Select(s => new TemplateSettingResponse(s.Name, s.Type, s.Default, s.Minimum, s.Maximum, s.Description))]);
    }

    public sealed record TemplateSettingResponse(string Name, string Type, string Default, int Minimum, int Maximum,
        string Description);
}
