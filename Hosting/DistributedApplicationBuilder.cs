using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Sdp.Hosting;

internal sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    /// <summary>Assembly metadata written by build/Sdp.Hosting.AppHost.targets.</summary>
    internal const string AppHostDirectoryMetadataKey = "Sdp.AppHostProjectDirectory";

    private readonly List<Resource> _resources = [];
    private readonly ConfigurationManager _configuration = new();
    private readonly EntryPointInterception? _interception;

    public DistributedApplicationBuilder(string[] args, Assembly? appHostAssembly, EntryPointInterception? interception)
    {
        _interception = interception;
        AppHostDirectory = FindAppHostDirectory(appHostAssembly);

        if (interception is not null)
        {
            // Under test, Prometheus runs only when a test asks for it (--Prometheus:Enabled=true).
            _configuration.AddInMemoryCollection([new KeyValuePair<string, string?>("Prometheus:Enabled", "false")]);
        }

        // No reload-on-change: file watchers cost inotify instances and nothing here re-reads settings.
        _configuration.AddJsonFile(Path.Combine(AppHostDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        _configuration.AddEnvironmentVariables();
        _configuration.AddCommandLine(args);
    }

    public IConfigurationManager Configuration => _configuration;

    public string AppHostDirectory { get; }

    public string StateDirectory => HostSettings.ResolveStateDirectory(_configuration, AppHostDirectory);

    public IReadOnlyList<IResource> Resources => _resources;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"Cannot add resource '{resource.Name}': a resource with that name already exists.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    public IResourceBuilder<T> CreateResourceBuilder<T>(string name) where T : IResource
    {
        var resource = _resources.Find(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"No resource named '{name}' is declared.");
        return resource is T typed
            ? new ResourceBuilder<T>(this, typed)
            : throw new InvalidOperationException($"Resource '{name}' is a {resource.GetType().Name}, not a {typeof(T).Name}.");
    }

    public DistributedApplication Build()
    {
        // Under DistributedApplicationTestingBuilder the AppHost's Main must not run the app: hand the builder over instead.
        if (_interception is not null)
        {
            _interception.HandOver(this);
            throw new EntryPointInterceptedException();
        }

        return BuildCore();
    }

    internal DistributedApplication BuildCore() =>
        new([.. _resources], _configuration, AppHostDirectory);

    private static string FindAppHostDirectory(Assembly? appHostAssembly)
    {
        var directory = appHostAssembly?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == AppHostDirectoryMetadataKey)?.Value;
        return directory is not null && Directory.Exists(directory) ? directory : AppContext.BaseDirectory;
    }
}
