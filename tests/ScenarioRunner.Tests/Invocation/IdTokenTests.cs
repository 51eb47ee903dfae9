using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sdp.Contracts;
using Sdp.ScenarioRunner.Engine;
using Sdp.ScenarioRunner.Invocation;
using Sdp.ScenarioRunner.Tests.Engine;

namespace Sdp.ScenarioRunner.Tests.Invocation;

/// <summary>
/// Calling candidate services that check invoker IAM: an ID token for the service's URL on every request, minted once
/// per run, over https only; none at all by default.
/// </summary>
public sealed class IdTokenTests
{
    [Fact]
    public async Task Every_request_carries_an_ID_token_whose_audience_is_the_service_url_minted_once_per_run()
    {
        var seen = new ConcurrentQueue<string?>();
        await using var service = await RecordingServiceAsync(seen);
        var tokens = new FakeIdTokenSource();
        var audience = service.Url.GetLeftPart(UriPartial.Authority);

        using (var http = new ScenarioHttp(new Uri(service.Url, "/base/"), 4, TimeSpan.FromSeconds(5), TimeProvider.System, tokens))
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => http.GetAsync("/who", CancellationToken.None)));
        }

        Assert.Equal(8, seen.Count);
        Assert.All(seen, header => Assert.Equal("Bearer " + FakeIdTokenSource.TokenFor(audience), header));
        Assert.Equal([audience], tokens.Audiences);
    }

    [Fact]
    public async Task Without_a_token_source_requests_carry_no_credentials()
    {
        var seen = new ConcurrentQueue<string?>();
        await using var service = await RecordingServiceAsync(seen);

        using (var http = new ScenarioHttp(service.Url, 1, TimeSpan.FromSeconds(5), TimeProvider.System))
        {
            await http.GetAsync("/who", CancellationToken.None);
        }

        Assert.Equal([null], seen);
    }

    [Fact]
    public async Task A_failed_token_fetch_fails_that_request_and_is_tried_again_on_the_next()
    {
        var seen = new ConcurrentQueue<string?>();
        await using var service = await RecordingServiceAsync(seen);
        var tokens = new FakeIdTokenSource { FailFirst = 1 };
        using var http = new ScenarioHttp(service.Url, 1, TimeSpan.FromSeconds(5), TimeProvider.System, tokens);

        await Assert.ThrowsAsync<InvalidOperationException>(() => http.GetAsync("/who", CancellationToken.None));
        await http.GetAsync("/who", CancellationToken.None);

        Assert.Equal(2, tokens.Audiences.Count);
        Assert.Equal(["Bearer " + FakeIdTokenSource.TokenFor(service.Url.GetLeftPart(UriPartial.Authority))], seen);
    }

    [Fact]
    public async Task With_ID_tokens_an_http_endpoint_is_refused_before_any_request()
    {
        var seen = new ConcurrentQueue<string?>();
        await using var service = await RecordingServiceAsync(seen);
        var tokens = new FakeIdTokenSource();
        var engine = new ScenarioEngine(new ScenarioCatalog([new TestScenario()]),
            Options.Create(new ScenarioOptions { CallAs = CallAs.IdToken }), TimeProvider.System, NullLogger<ScenarioEngine>.Instance, tokens);

        var report = await engine.RunAsync("test", service.Url.ToString(), new ScenarioLoad(10, 1, 1), new RecordingProgress(),
            CancellationToken.None);

        Assert.Equal(ScenarioReport.Errored, report.Outcome);
        Assert.Contains("https only", report.Error, StringComparison.Ordinal);
        Assert.Empty(seen);
        Assert.Empty(tokens.Audiences);
    }

    [Fact]
    public async Task An_unknown_way_of_calling_services_stops_the_runner_at_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Scenarios:CallAs"] = "Password" });
        builder.AddScenarios();
        using var host = builder.Build();

        await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
    }

    [Fact]
    public void Anonymous_is_the_default()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.AddScenarios();
        using var host = builder.Build();

        Assert.Equal(CallAs.Anonymous, host.Services.GetRequiredService<IOptions<ScenarioOptions>>().Value.CallAs);
    }

    private static Task<LoopbackApp> RecordingServiceAsync(ConcurrentQueue<string?> seen) =>
        LoopbackApp.StartAsync(app => app.MapGet("{**path}", (HttpRequest request) =>
        {
            seen.Enqueue(request.Headers.Authorization.Count == 0 ? null : request.Headers.Authorization.ToString());
            return "ok";
        }));
}
