using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sdp.LocalServers;

namespace LocalServers.Tests.Infrastructure;

/// <summary>An Aspire application of local servers for a test, on real DCP, and what the tests ask of it.</summary>
internal static class LocalServersApp
{
    /// <summary>A testing builder (dashboard off, random ports) whose state folder is <paramref name="stateDirectory"/>.</summary>
    public static (IDistributedApplicationTestingBuilder Builder, LocalStateDirectory State) CreateBuilder(string stateDirectory,
        params string[] moreArgs)
    {
        var builder = DistributedApplicationTestingBuilder.Create(
        [
            $"--Sdp:StateDirectory={stateDirectory}", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Aspire.Hosting.Dcp=Warning",
            // Failed checks while a server starts are expected; the tests report what stays unhealthy.
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None", .. moreArgs,
        ]);
        return (builder, LocalStateDirectory.From(builder.Configuration, builder.AppHostDirectory));
    }

    /// <summary>PostgreSQL with database sdpdb and its login role sdp_app, Redis and RabbitMQ: the platform's servers.</summary>
    public static (IResourceBuilder<IResourceWithConnectionString> Database, IResourceBuilder<IResourceWithConnectionString> Role,
        IResourceBuilder<IResourceWithConnectionString> Redis, IResourceBuilder<IResourceWithConnectionString> Messaging)
        AddServers(this IDistributedApplicationBuilder builder, LocalStateDirectory state)
    {
        var database = builder.AddLocalPostgres("postgres", state).AddDatabase("sdpdb");
        var role = database.AddLoginRole("sdpdb-app", roleName: "sdp_app", state);
        return (database, role, builder.AddLocalRedis("redis", state), builder.AddLocalRabbitMQ("messaging", state));
    }

    /// <summary>The pid of the process DCP started for an executable (for a local server: its supervise.sh).</summary>
    public static int ProcessId(this DistributedApplication app, string resourceName) =>
        app.GetSnapshot(resourceName)?.ExecutableProcessId()
        ?? throw new InvalidOperationException($"{resourceName} has no process id.");

    /// <summary>The ports of every allocated endpoint of the application's resources.</summary>
    public static List<int> AllocatedPorts(this DistributedApplication app) =>
        [.. app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<IResourceWithEndpoints>()
            .SelectMany(resource => resource.GetEndpoints())
            .Where(endpoint => endpoint.IsAllocated)
            .Select(endpoint => endpoint.Port)];

    public static int Port(this DistributedApplication app, string resourceName, string endpointName) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<IResourceWithEndpoints>()
            .Single(resource => resource.Name == resourceName)
            .GetEndpoint(endpointName).Port;
}
