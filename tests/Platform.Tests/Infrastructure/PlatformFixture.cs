using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Sdp.Testing;

namespace Sdp.Platform.Tests.Infrastructure;

/// <summary>
/// The whole platform (PostgreSQL, Redis, RabbitMQ and the four services) brought up once for the test run
/// through the AppHost's own declaration, with deadlines short enough for a test to reach.
/// </summary>
public sealed class PlatformFixture() : PlatformFixtureBase("platform-tests")
{
    public static readonly TimeSpan ProvisioningDeadline = TimeSpan.FromSeconds(10);

    /// <summary>How long a standby slot may be silent before the prober removes it (a minute by default).</summary>
    public static readonly TimeSpan StandbyDeadAfter = TimeSpan.FromSeconds(5);

    /// <summary>Live deployments the API admits before it answers 503 (set low enough for a test to reach).</summary>
    public const int MaxLiveDeployments = 300;

    /// <summary>How long the Orchestrator waits for the stand-in model: short, so the slow answer's test is quick.</summary>
    public static readonly TimeSpan GenerationTimeout = TimeSpan.FromSeconds(5);

    public string MessagingConnectionString { get; private set; } = "";

    /// <summary>The model the Orchestrator asks for specs: the local stand-in, on a free loopback port.</summary>
    public StandInModel Model { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Model = await StandInModel.StartAsync();
        await base.InitializeAsync();
        MessagingConnectionString = (await App.GetConnectionStringAsync("messaging"))!;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }

    /// <summary>
    /// The model's settings go in as a user's would, as the AppHost's own configuration, which passes them on to the
    /// Orchestrator (the key as a secret parameter).
    /// </summary>
    protected override Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(CancellationToken cancellationToken) =>
        PlatformApp.CreateBuilderAsync(StateDirectory, cancellationToken,
            [.. Model.GenerationSettings(GenerationTimeout).Select(s => $"--{s.Key.Replace("__", ":", StringComparison.Ordinal)}={s.Value}")]);

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        // A short provisioning deadline, so the deadline test need not wait out the 60 s default.
        builder.CreateResourceBuilder<ProjectResource>("provisioner-worker")
            .WithEnvironment("Provisioning__Deadline", ProvisioningDeadline.ToString("c", CultureInfo.InvariantCulture));
        builder.CreateResourceBuilder<ProjectResource>("orchestrator-api")
            .WithoutStandbyPools()
            // Standby tests size pools themselves; these keep their waits short.
            .WithEnvironment("Standby__CheckInterval", "00:00:00.500")
            .WithEnvironment("Standby__FailureBackoff", "00:00:01")
            .WithEnvironment("Standby__YieldWindow", "00:00:02")
            // The slot prober asks every second and gives a silent slot a few seconds, so a dead slot goes within a test.
            .WithEnvironment("Standby__ProbeInterval", "00:00:01")
            .WithEnvironment("Standby__DeadAfter", StandbyDeadAfter.ToString("c", CultureInfo.InvariantCulture))
            .WithEnvironment("Admission__WhenFull", "Refuse")
            .WithEnvironment("Admission__MaxLiveDeployments", MaxLiveDeployments.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Admission__RetryAfterSeconds", "7");
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
