using Microsoft.Extensions.Configuration;

namespace Sdp.Hosting;

/// <summary>Declares the application's resources, the way an Aspire AppHost does.</summary>
public interface IDistributedApplicationBuilder
{
    /// <summary>AppHost's appsettings.json, then environment variables, then command-line arguments.</summary>
    IConfigurationManager Configuration { get; }

    /// <summary>The AppHost project directory (where its appsettings.json lives).</summary>
    string AppHostDirectory { get; }

    /// <summary>
    /// The state folder the application will use (<c>Sdp:StateDirectory</c>, default <c>.sdp/</c> at the repository
    /// root), for an AppHost that keeps files of its own there. Read from the configuration as it is now.
    /// </summary>
    string StateDirectory { get; }

    IReadOnlyList<IResource> Resources { get; }

    /// <summary>Adds a resource; names are unique, case-insensitively.</summary>
    IResourceBuilder<T> AddResource<T>(T resource) where T : Resource;

    /// <summary>A builder for an already declared resource, e.g. for a test to add environment variables.</summary>
    IResourceBuilder<T> CreateResourceBuilder<T>(string name) where T : IResource;

    DistributedApplication Build();
}
