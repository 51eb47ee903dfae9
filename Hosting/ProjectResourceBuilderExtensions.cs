namespace Sdp.Hosting;

public static class ProjectResourceBuilderExtensions
{
    /// <summary>A service project; <typeparamref name="TProject"/> is a generated <c>Projects.*</c> class.</summary>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new() =>
        builder.AddResource(new ProjectResource(name, new TProject()));
}
