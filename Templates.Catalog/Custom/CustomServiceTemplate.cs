using Sdp.Templates.Catalog.Custom;

namespace Sdp.Templates.Catalog;

/// <summary>
/// The generic service: it serves the <see cref="ServiceSpec"/> a custom deployment brings, so a design with no
/// template deploys as data, never as code. Its tables depend on the spec (<see cref="CustomSchemaSql"/>), so the
/// descriptor has none of its own, and no standby slot can hold one in advance.
/// </summary>
public static class CustomServiceTemplate
{
    public const string ProblemType = "custom";

    public static TemplateDescriptor Descriptor { get; } = new(
        ProblemType: ProblemType,
        DisplayName: "Custom service",
        Description: "Any design given as a service spec (resources with typed fields): JSON CRUD per resource over " +
                     "PostgreSQL, optional Redis cache and rate limits. The spec's JSON Schema is at /api/templates/custom/schema.",
        Image: "sdp/custom-service:latest",
        // The spec's tables: CustomSchemaSql.For(spec), run by the provisioner as the candidate's role.
        SchemaSql: "",
        // Measured by TemplateStartBenchmarks with the chat-system example (three tables, three indexes): p50 ≈ 136 ms,
        // beside the URL shortener's 126 ms in the same run.
        ExpectedDeploySeconds: 0.14,
        Settings: [],
        RequiresServiceSpec: true);
}
