using System.Reflection;
using System.Runtime.Versioning;
using Microsoft.Extensions.Configuration;

namespace Sdp.AppHost;

internal static class BuiltAssemblyLaunch
{
    /// <summary>
    /// Runs every project from its built assembly (<c>dotnet &lt;Project&gt;.dll</c>, in the project's folder as
    /// <c>dotnet run</c> would) instead of Aspire's <c>dotnet run --project … --no-build</c>. The AppHost's build has
    /// already built every project it references; <c>dotnet run</c> only evaluates the project again with MSBuild to find
    /// the same assembly, which cost seconds of CPU per project at every start and restart (five at once on two cores),
    /// and it stays behind as each service's parent process. The resource is still a project to Aspire: its
    /// environment, launch profile, endpoints and dashboard entry are as before.
    /// <para>Under an IDE's debug session Aspire's own launch stays, so that the IDE can attach.</para>
    /// </summary>
    public static void RunProjectsFromTheirBuild(this IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration["DEBUG_SESSION_PORT"] is not null)
        {
            return;
        }

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            RunFromBuild(builder.CreateResourceBuilder(project));
        }
    }

    private static void RunFromBuild(IResourceBuilder<ProjectResource> project)
    {
        var builder = project.ApplicationBuilder;
        var projectPath = project.Resource.GetProjectMetadata().ProjectPath;
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var assembly = AssemblyPath(builder.AppHostAssembly, projectPath);
        // Aspire reads this annotation for the command and folder; with it, the arguments are the resource's own.
        project.WithAnnotation(new ExecutableAnnotation { Command = "dotnet", WorkingDirectory = projectDirectory });
        project.WithArgs(assembly);
        project.OnBeforeResourceStarted((resource, _, _) => File.Exists(assembly)
            ? Task.CompletedTask
            : throw new DistributedApplicationException(
                $"{resource.Name} is not built: {assembly} is missing. Build the solution (dotnet build Sdp.sln), or run the "
                + "AppHost with dotnet run, which builds it."));
    }

    /// <summary>
    /// Where the project's build puts its assembly: the project's <c>bin/&lt;configuration&gt;/&lt;framework&gt;</c>,
    /// with the AppHost's own configuration and target framework (Aspire runs projects in the AppHost's
    /// configuration; every project here targets the framework Directory.Build.props sets).
    /// </summary>
    internal static string AssemblyPath(Assembly? appHost, string projectPath)
    {
        var configuration = appHost?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = appHost?.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName
            ?? throw new InvalidOperationException("The AppHost's assembly names no target framework.");
        var version = new Version(framework[(framework.IndexOf("Version=v", StringComparison.Ordinal) + "Version=v".Length)..]);
        return Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", configuration, $"net{version.Major}.{version.Minor}",
            Path.GetFileNameWithoutExtension(projectPath) + ".dll");
    }
}
