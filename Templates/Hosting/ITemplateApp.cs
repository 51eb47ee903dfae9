using Microsoft.AspNetCore.Builder;

namespace Sdp.Templates.Hosting;

/// <summary>
/// A candidate-side service that can be built as an ASP.NET Core app: the same code runs as a
/// container on Cloud Run and in-process inside the Simulator.
/// </summary>
public interface ITemplateApp
{
    TemplateDescriptor Descriptor { get; }

    /// <summary>Builds the app, not started. It must not touch PostgreSQL or Redis before its first request.</summary>
    WebApplication Build(TemplateAppContext context);
}
