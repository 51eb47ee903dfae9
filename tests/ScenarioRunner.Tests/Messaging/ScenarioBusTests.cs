using System.Threading.Channels;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Contracts;
using Sdp.ScenarioRunner;
using Sdp.ScenarioRunner.Tests.Engine;
using Sdp.ScenarioRunner.Tests.Infrastructure;

namespace Sdp.ScenarioRunner.Tests.Messaging;

/// <summary>
/// The scenario runner as deployed: given a <c>messaging</c> connection string it joins real RabbitMQ, takes
/// <see cref="ScenarioRunRequested"/> from its queue and publishes progress and the report to whoever listens.
/// </summary>
public sealed class ScenarioBusTests(LocalBroker broker) : IClassFixture<LocalBroker>, IAsyncLifetime
{
    private readonly Channel<ScenarioRunCompleted> completed = Channel.CreateUnbounded<ScenarioRunCompleted>();
    private readonly Channel<ScenarioRunProgressed> progressed = Channel.CreateUnbounded<ScenarioRunProgressed>();
    private WebApplicationFactory<Program> simulator = null!;
    private IBusControl platformBus = null!;
    private LoopbackApp deployment = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var messaging = broker.ConnectionString;

        deployment = await LoopbackApp.StartAsync(app => app.MapGet("/load/{index:long}", (long index) => "ok"));
        simulator = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            web.UseSetting("ConnectionStrings:messaging", messaging);
            web.ConfigureServices(services => services.AddSingleton<Sdp.ScenarioRunner.Engine.IScenario>(new TestScenario()));
        });
        _ = simulator.Services; // starts the host, and with it the bus

        // The Orchestrator's side of the conversation, on a temporary queue of its own.
        platformBus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(messaging));
            cfg.ReceiveEndpoint("scenario-bus-test-" + Guid.NewGuid().ToString("N")[..8], endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                // One at a time, in queue order: the progress published before the report is read before it.
                endpoint.PrefetchCount = 1;
                endpoint.ConcurrentMessageLimit = 1;
                endpoint.Handler<ScenarioRunCompleted>(context => completed.Writer.WriteAsync(context.Message).AsTask());
                endpoint.Handler<ScenarioRunProgressed>(context => progressed.Writer.WriteAsync(context.Message).AsTask());
            });
        });
        await platformBus.StartAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await platformBus.StopAsync();
        await simulator.DisposeAsync();
        await deployment.DisposeAsync();
    }

    [Fact]
    public async Task A_run_requested_over_RabbitMQ_reports_progress_and_its_outcome()
    {
        Assert.Contains("url_shortener", simulator.Services.GetRequiredService<ScenarioCatalog>().ProblemTypes);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await platformBus.Publish(new ScenarioRunRequested(501, 77, "test", deployment.Url.ToString(), new ScenarioLoad(10, 1, 2),
            DateTimeOffset.UtcNow), timeout.Token);

        var done = await completed.Reader.ReadAsync(timeout.Token);
        Assert.Equal((501L, 77L), (done.RunId, done.DeploymentId));
        Assert.Equal(ScenarioReport.Passed, done.Report.Outcome);
        Assert.Equal(10, done.Report.Load!.Requests);
        Assert.Equal(0, done.Report.Load.Errors);
        var phases = new List<string>();
        while (progressed.Reader.TryRead(out var progress))
        {
            Assert.Equal(501, progress.RunId);
            phases.Add(progress.Phase);
        }

        Assert.Contains("checks", phases);
        Assert.Contains("load", phases);
    }
}
