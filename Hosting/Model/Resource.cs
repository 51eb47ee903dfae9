namespace Sdp.Hosting;

/// <summary>
/// What every resource has: a name, a type shown on the dashboard, the resources it references and waits for,
/// its endpoints and its own environment variables. Run-time state lives in <see cref="ResourceNotificationService"/>.
/// </summary>
public abstract class Resource : IResource
{
    private readonly List<IResource> _references = [];
    private readonly Dictionary<IResource, string> _connectionNames = new(ReferenceEqualityComparer.Instance);
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

    /// <summary>
    /// The name a referenced resource's connection string is injected under (<c>ConnectionStrings__{name}</c>):
    /// the one given to WithReference, else the resource's own.
    /// </summary>
    public string ConnectionNameOf(IResource reference) =>
        _connectionNames.TryGetValue(reference, out var connectionName) ? connectionName : reference.Name;

    internal void AddReference(IResource resource, string? connectionName = null)
    {
        var name = connectionName ?? resource.Name;
        if (_references.Contains(resource))
        {
            if (ConnectionNameOf(resource) != name)
            {
                throw new InvalidOperationException(
                    $"Resource '{Name}' already references '{resource.Name}' as '{ConnectionNameOf(resource)}'.");
            }

            return;
        }

        // Two sources under one name: one would silently win over the other.
        if (resource is IResourceWithConnectionString
            && _references.Find(r => r is IResourceWithConnectionString && string.Equals(ConnectionNameOf(r), name, StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            throw new InvalidOperationException(
                $"Resource '{Name}' already has a connection named '{name}' (from '{taken.Name}').");
        }

        _references.Add(resource);
        if (connectionName is not null)
        {
            _connectionNames[resource] = connectionName;
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
