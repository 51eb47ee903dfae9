using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Sdp.Testing;

namespace Sdp.Resilience.Tests.Infrastructure;

/// <summary>
/// A platform of the fault tests' own (state folder, free ports), since they kill its servers: never shared with
/// other test projects. Deadlines, retries and grace periods are shortened so that recovery happens within a test.
/// </summary>
public sealed class ResilienceFixture() : PlatformFixtureBase("resilience-tests")
{
    public static readonly TimeSpan OrphanGracePeriod = TimeSpan.FromSeconds(3);

    /// <summary>The PostgreSQL server's own pid (the postmaster), from its postmaster.pid.</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(StateDirectory, "postgres", "data", "postmaster.pid")).First(),
        CultureInfo.InvariantCulture);

    protected override TimeSpan StartTimeout => TimeSpan.FromMinutes(2);

    /// <summary>
    /// Stops the whole platform and starts it again on the same state folder, as a developer does every day; the
    /// tests' tenant and its key are in the platform's database, so they outlive it.
    /// </summary>
    public Task RestartPlatformAsync(CancellationToken cancellationToken) => RestartAsync(cancellationToken);

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        builder.CreateResourceBuilder<ProjectResource>("orchestrator-api")
            .WithoutStandbyPools()
            .WithEnvironment("Deployments__CheckInterval", Span(TimeSpan.FromSeconds(1)))
            .WithEnvironment("Deployments__QueuedTimeout", Span(TimeSpan.FromSeconds(15)))
            .WithEnvironment("Deployments__ProvisioningTimeout", Span(TimeSpan.FromSeconds(30)))
            .WithEnvironment("Deployments__CleaningTimeout", Span(TimeSpan.FromSeconds(15)))
            .WithEnvironment("Deployments__RetryBackoff", Span(TimeSpan.FromSeconds(1)))
            .WithEnvironment("Deployments__MaxRetryBackoff", Span(TimeSpan.FromSeconds(5)))
            .WithEnvironment("Deployments__MaxAttempts", "8");
        builder.CreateResourceBuilder<ProjectResource>("provisioner-worker")
            .WithEnvironment("Provisioning__Deadline", Span(TimeSpan.FromSeconds(15)));
        builder.CreateResourceBuilder<ProjectResource>("cleanup-worker")
            .WithEnvironment("Cleanup__OrphanGracePeriod", Span(OrphanGracePeriod))
            .WithEnvironment("Cleanup__LostResourceCheckInterval", Span(TimeSpan.FromSeconds(1)));
    }

    private static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}

[CollectionDefinition(Name)]
public sealed class ResilienceCollection : ICollectionFixture<ResilienceFixture>
{
    public const string Name = "resilience";
}
