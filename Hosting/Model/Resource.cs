namespace Sdp.Hosting;

/// <summary>
/// What every resource has: a name, a type shown on the dashboard, the resources it references and waits for,
/// its endpoints and its own environment variables. Run-time state lives in <see cref="ResourceNotificationService"/>.
/// </summary>
public abstract class Resource : IResource
{
    private readonly List<IResource> _references = [];
    private readonly List<IResource> _waitFor = [];
    private readonly List<ResourceEndpoint> _endpoints = [];
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    protected Resource(string name)
    {
        ResourceNames.Validate(name);
        Name = name;
    }

    public string Name { get; }

    /// <summary>Kind of resource as the dashboard shows it (<c>Project</c>, <c>Redis</c>, ...).</summary>
    public abstract string Type { get; }

    /// <summary>Resources whose connection string or endpoints this one receives.</summary>
    public IReadOnlyList<IResource> References => _references;

    /// <summary>Resources that must be Running and Healthy before this one starts.</summary>
    public IReadOnlyList<IResource> WaitFor => _waitFor;

    public IReadOnlyList<ResourceEndpoint> Endpoints => _endpoints;

    /// <summary>Environment variables set with WithEnvironment; they win over everything the host sets.</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    public override string ToString() => Name;

    internal void AddReference(IResource resource)
    {
        if (!_references.Contains(resource))
        {
            _references.Add(resource);
        }
    }

    internal void AddWaitFor(IResource resource)
    {
        if (ReferenceEquals(resource, this))
        {
            throw new InvalidOperationException($"Resource '{Name}' cannot wait for itself.");
        }

        if (!_waitFor.Contains(resource))
        {
            _waitFor.Add(resource);
        }
    }

    internal ResourceEndpoint GetOrAddEndpoint(string name, string scheme)
    {
        var endpoint = _endpoints.Find(e => e.Name == name);
        if (endpoint is null)
        {
            endpoint = new ResourceEndpoint(name, scheme);
            _endpoints.Add(endpoint);
        }

        return endpoint;
    }

    internal void SetEnvironment(string name, string value) => _environment[name] = value;
}
