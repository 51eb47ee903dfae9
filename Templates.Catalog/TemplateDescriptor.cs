namespace Sdp.Templates.Catalog;

/// <summary>
/// One deployable problem type. <see cref="Image"/> is the container image a deployment target runs
/// (the Simulator hosts the matching template in-process); <see cref="SchemaSql"/> creates the
/// template's tables inside the candidate's own schema, run by the provisioner as the candidate's role.
/// </summary>
/// <param name="ExpectedDeploySeconds">
/// What a local deploy (Simulator, in-process) typically takes from request to healthy, for clients to show
/// progress against; a measured figure, not a promise.
/// </param>
/// <param name="Settings">The environment variables the template reads besides its connection strings, with their defaults.</param>
/// <param name="RequiresServiceSpec">
/// A deployment brings a service spec that decides the tables and endpoints (the custom service): its schema SQL
/// comes from the spec, and a standby slot cannot be built ahead of the request.
/// </param>
public sealed record TemplateDescriptor(
    string ProblemType,
    string DisplayName,
    string Description,
    string Image,
    string SchemaSql,
    double ExpectedDeploySeconds,
    IReadOnlyList<TemplateSetting> Settings,
    bool RequiresServiceSpec = false);
