using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Sdp.Testing;

/// <summary>
/// What the end-to-end tests ask of a platform started through Aspire.Hosting.Testing: resource snapshots, process
/// ids (to kill a part of the platform), and waits.
/// </summary>
public static class PlatformApp
{
    /// <summary>
    /// The AppHost with test settings: its own state folder, free ports, no Prometheus unless asked for. The
    /// orchestrator's own dashboard stays off, as Aspire.Hosting.Testing has it.
    /// </summary>
    public static Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string stateDirectory,
        CancellationToken cancellationToken, params string[] moreArgs) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            $"--Sdp:StateDirectory={stateDirectory}", "--Sdp:OrchestratorPort=0", "--Sdp:SimulatorPort=0",
            "--Prometheus:Enabled=false", .. moreArgs,
        ], cancellationToken);

    /// <summary>Starts the application and waits until every process and server of the platform is running and healthy.</summary>
    public static async Task StartHealthyAsync(this DistributedApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        await app.WaitUntilAllHealthyAsync(cancellationToken);
    }

    public static Task WaitUntilAllHealthyAsync(this DistributedApplication app, CancellationToken cancellationToken) =>
        // The platform's processes and servers; not parameters, views, nor the hidden rebuilders Aspire adds per project.
        app.WaitUntilHealthyAsync(app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => r is ProjectResource or ExecutableResource or IResourceWithConnectionString)
            .Where(r => r is not ParameterResource && app.GetSnapshot(r.Name)?.IsHidden != true)
            .Select(r => r.Name), cancellationToken);

    /// <summary>
    /// The pid of the resource's own process: for an executable the one the orchestrator started; for a project the
    /// application under its <c>dotnet run</c>.
    /// </summary>
    public static int? GetProcessId(this DistributedApplication app, string resourceName)
    {
        var snapshot = app.GetSnapshot(resourceName);
        if (snapshot?.ExecutableProcessId() is not { } pid)
        {
            return null;
        }

        // A project runs as "dotnet run --no-build", which starts the application as its only child.
        return snapshot.Properties.Any(p => p.Name == "project.path") ? ChildOf(pid) ?? pid : pid;
    }

    private static int? ChildOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return null;
    }
}
