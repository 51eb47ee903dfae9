namespace Sdp.Templates;

/// <summary>
/// One setting a template accepts, read from its container environment variable <see cref="Name"/>
/// (e.g. <c>RATE_LIMITER_DEFAULT_LIMIT</c>); <see cref="Default"/> applies when it is unset.
/// </summary>
/// <param name="Type">"integer", "string" or "boolean".</param>
public sealed record TemplateSetting(string Name, string Type, string Default, string Description);
