namespace Sdp.Templates.Catalog.Custom;

/// <summary>One thing wrong with a spec.</summary>
/// <param name="Path">A JSON pointer to the offending value, e.g. <c>/resources/0/fields/2/name</c>; empty for the whole document.</param>
public sealed record SpecViolation(string Path, string Message);

/// <summary>What <see cref="ServiceSpecValidator"/> found: the spec when it is valid, every violation when it is not.</summary>
public sealed record ServiceSpecValidation(ServiceSpec? Spec, IReadOnlyList<SpecViolation> Violations)
{
    public bool IsValid => Spec is not null && Violations.Count == 0;
}
