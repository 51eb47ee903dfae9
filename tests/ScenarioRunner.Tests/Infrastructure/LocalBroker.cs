using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Sdp.LocalServers;
using Sdp.Testing;

namespace Sdp.ScenarioRunner.Tests.Infrastructure;

/// <summary>
/// A real RabbitMQ node, started through Aspire (the AppHost's own LocalServers resource in a
/// <c>DistributedApplicationTestingBuilder</c>, a temporary state folder, free ports) once for the test class that takes
/// it as a class fixture (<c>ScenarioBusTests</c>, the only one needing a broker). Disposing stops the node and removes
/// the folder.
/// </summary>
public sealed class LocalBroker : IAsyncLifetime
{
    public const string Resource = "messaging";

    private readonly string stateDirectory =
        Path.Combine(Path.GetTempPath(), "sdp-simulator-tests-" + Guid.NewGuid().ToString("N")[..8]);

    private DistributedApplication? app;

    /// <summary>The <c>messaging</c> connection string (<c>amqp://user:password@127.0.0.1:port</c>), as the runner gets it.</summary>
    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var builder = DistributedApplicationTestingBuilder.Create(
            $"--Sdp:StateDirectory={stateDirectory}", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None");
        builder.AddLocalRabbitMQ(Resource, LocalStateDirectory.From(builder.Configuration, builder.AppHostDirectory));
        app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        // Healthy once an AMQP connection opens.
        await app.WaitUntilHealthyAsync([Resource], timeout.Token);
        ConnectionString = (await app.GetConnectionStringAsync(Resource, timeout.Token))!;
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        try
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a temporary folder left behind is harmless.
        }
    }
}
