namespace Sdp.Templates;

/// <summary>
/// One deployable problem type. <see cref="Image"/> is the container image a deployment target runs
/// (the Simulator hosts the matching template in-process); <see cref="SchemaSql"/> creates the
/// template's tables inside the candidate's own schema, run by the provisioner as the candidate's role.
/// </summary>
public sealed record TemplateDescriptor(
    string ProblemType,
    string DisplayName,
    string Description,
    string Image,
    string SchemaSql);
