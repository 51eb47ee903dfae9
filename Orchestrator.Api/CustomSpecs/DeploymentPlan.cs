using Sdp.Templates.Catalog;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Orchestrator.Api.CustomSpecs;

/// <summary>What a well-formed <c>POST /api/deployments</c> deploys, or the answer that refuses it.</summary>
public abstract record DeploymentPlan
{
    private DeploymentPlan() { }

    /// <summary>The template that serves the deployment; its settings are the ones the request may set.</summary>
    public abstract TemplateDescriptor? Template { get; }

    /// <summary>One of the templates, by its problem type.</summary>
    public sealed record FromTemplate(TemplateDescriptor Of) : DeploymentPlan
    {
        public override TemplateDescriptor Template => Of;
    }

    /// <summary><c>custom</c> with a valid <c>service_spec</c>: deployed as given.</summary>
    public sealed record GivenSpec(TemplateDescriptor Custom, ServiceSpec Spec) : DeploymentPlan
    {
        public override TemplateDescriptor Template => Custom;
    }

    /// <summary>A problem type with no template, and a model to write its spec from the design text.</summary>
    public sealed record GeneratedSpec(TemplateDescriptor Custom) : DeploymentPlan
    {
        public override TemplateDescriptor Template => Custom;
    }

    /// <summary>Nothing is saved; the request gets <see cref="Problem"/>.</summary>
    public sealed record Refused(IResult Problem) : DeploymentPlan
    {
        public override TemplateDescriptor? Template => null;
    }
}
