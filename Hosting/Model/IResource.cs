namespace Sdp.Hosting;

/// <summary>Something the host runs or provides: a server, a database, a service project.</summary>
public interface IResource
{
    /// <summary>Kebab-case name, unique in the application (<c>orchestrator-api</c>, <c>sdpdb</c>).</summary>
    string Name { get; }
}

/// <summary>A resource others reach through <c>ConnectionStrings__{name}</c>.</summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>The connection string, or null before the host has started the resource.</summary>
    string? ConnectionString { get; }
}

/// <summary>A resource that is a process the host configures through environment variables.</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource with named endpoints.</summary>
public interface IResourceWithEndpoints : IResource;

/// <summary>A resource others reach through <c>services__{name}__{endpoint}__0</c>.</summary>
public interface IResourceWithServiceDiscovery : IResourceWithEndpoints;

/// <summary>A resource that lives inside another one (a database inside its server).</summary>
public interface IResourceWithParent<out TParent> : IResource where TParent : IResource
{
    TParent Parent { get; }
}
