namespace Sdp.Hosting;

/// <summary>Wiring between resources: references, start order, endpoints, environment.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Injects <c>ConnectionStrings__{source}</c> into the resource's environment.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder,
        IResourceBuilder<IResourceWithConnectionString> source) where T : IResourceWithEnvironment
    {
        AsResource(builder).AddReference(source.Resource);
        return builder;
    }

    /// <summary>
    /// Injects the source's connection string as <c>ConnectionStrings__{connectionName}</c>: the name the service
    /// reads, when it is not the source's own (a restricted login read as <c>sdpdb</c>, say).
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder,
        IResourceBuilder<IResourceWithConnectionString> source, string connectionName) where T : IResourceWithEnvironment
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        AsResource(builder).AddReference(source.Resource, connectionName);
        return builder;
    }

    /// <summary>Injects <c>services__{source}__{endpoint}__0=url</c> for each of the source's endpoints.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder,
        IResourceBuilder<IResourceWithServiceDiscovery> source) where T : IResourceWithEnvironment
    {
        AsResource(builder).AddReference(source.Resource);
        return builder;
    }

    /// <summary>The resource starts only once <paramref name="dependency"/> is Running and Healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : IResource
    {
        AsResource(builder).AddWaitFor(dependency.Resource);
        return builder;
    }

    /// <summary>Sets an environment variable; it wins over every value the host computes.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value)
        where T : IResourceWithEnvironment
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        AsResource(builder).SetEnvironment(name, value);
        return builder;
    }

    /// <summary>Declares (or changes) an http endpoint. A port of null or 0 means a free loopback port.</summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, string name = "http")
        where T : IResourceWithEndpoints
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port ?? 0, nameof(port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port ?? 0, 65535, nameof(port));
        AsResource(builder).GetOrAddEndpoint(name, "http").RequestedPort = port;
        return builder;
    }

    private static Resource AsResource<T>(IResourceBuilder<T> builder) where T : IResource =>
        builder.Resource as Resource
        ?? throw new InvalidOperationException($"{builder.Resource.GetType().Name} does not derive from {nameof(Resource)}.");
}
