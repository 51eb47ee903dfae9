using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AppHost.Tests;

/// <summary>The AppHost's Program.cs run up to builder.Build() through the testing builder: nothing starts.</summary>
internal static class AppHostModel
{
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync(string stateDirectory, params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Sdp:StateDirectory={stateDirectory}", "--Prometheus:Enabled=false", .. args], CancellationToken.None);

    public static IResource Get(this IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.Single(r => r.Name == name);

    /// <summary>
    /// The environment Aspire gives the resource, as the publish manifest writes it: a connection string is
    /// <c>{resource.connectionString}</c>, which names the resource it comes from.
    /// </summary>
    public static async Task<Dictionary<string, string>> EnvironmentAsync(this IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance,
                CancellationToken.None);
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value);
    }

    /// <summary>
    /// The plain-text variables the resource's environment callbacks set when the application runs (Aspire sets the
    /// telemetry ones only then). Values that resolve only once the application runs, such as connection strings,
    /// are left out: nothing is started to resolve them.
    /// </summary>
    public static async Task<Dictionary<string, string>> RunEnvironmentAsync(this IResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.Where(e => e.Value is string)
            .ToDictionary(e => e.Key, e => (string)e.Value);
    }

    /// <summary>This build's configuration, which the AppHost it references was built with too.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The command-line arguments the resource's argument callbacks give when the application runs.</summary>
    public static async Task<List<string>> ArgumentsAsync(this IResource resource)
    {
        var context = new CommandLineArgsCallbackContext([], resource);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return [.. context.Args.Select(argument => Assert.IsType<string>(argument))];
    }

    /// <summary>The resources <c>WithReference</c> recorded, in order.</summary>
    public static string[] References(this IResource resource) =>
        [.. resource.Annotations.OfType<ResourceRelationshipAnnotation>().Where(r => r.Type == "Reference").Select(r => r.Resource.Name)];

    /// <summary>What <c>WaitFor</c> recorded: the resource and its parents, each to be healthy.</summary>
    public static string[] Waits(this IResource resource)
    {
        var waits = resource.Annotations.OfType<WaitAnnotation>().ToList();
        Assert.All(waits, wait => Assert.Equal(WaitType.WaitUntilHealthy, wait.WaitType));
        return [.. waits.Select(wait => wait.Resource.Name).Distinct().Order(StringComparer.Ordinal)];
    }
}
