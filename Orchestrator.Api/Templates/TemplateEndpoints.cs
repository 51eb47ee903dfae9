using System.Text.Json;
using Sdp.Orchestrator.Api.CustomSpecs;
using Sdp.Templates.Catalog;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Orchestrator.Api.Templates;

public static class TemplateEndpoints
{
    public const string SchemaContentType = "application/schema+json";

    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/templates", () => TypedResults.Ok(new TemplateList([.. TemplateCatalog.All.Select(TemplateResponse.From)])))
            .WithTags("Templates")
            .WithSummary("The problem types Sdp can deploy, with their expected deploy time and the settings each accepts");
        // The document itself, as the validator checks it: tools and models read it to write a spec.
        app.MapGet(CustomDeployments.SchemaPath, () => TypedResults.Text(ServiceSpecSchema.Json, SchemaContentType))
            .WithTags("Templates")
            .WithSummary("The JSON Schema (2020-12) of a custom deployment's service_spec, with examples")
            .Produces<JsonElement>(contentType: SchemaContentType);
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
