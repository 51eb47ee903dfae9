namespace Sdp.Hosting;

/// <summary>A service project, started from its built dll as a child process with an <c>http</c> endpoint.</summary>
public sealed class ProjectResource : Resource, IResourceWithEnvironment, IResourceWithServiceDiscovery
{
    public const string HttpEndpointName = "http";

    public ProjectResource(string name, IProjectMetadata metadata) : base(name)
    {
        Metadata = metadata;
        GetOrAddEndpoint(HttpEndpointName, "http");
    }

    public override string Type => "Project";

    public IProjectMetadata Metadata { get; }

    public ResourceEndpoint HttpEndpoint => GetOrAddEndpoint(HttpEndpointName, "http");
}
