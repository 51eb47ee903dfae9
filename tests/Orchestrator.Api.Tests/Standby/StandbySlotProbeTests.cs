using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sdp.Orchestrator.Api.Standby;

namespace Sdp.Orchestrator.Api.Tests.Standby;

/// <summary>
/// What a claim asks of a standby slot before handing it out: on this machine, that its port takes a connection; on
/// Cloud Run, that it answers <c>GET /alive</c>.
/// </summary>
public sealed class StandbySlotProbeTests
{
    [Fact]
    public async Task A_claim_takes_a_local_slot_whose_port_accepts_a_connection_without_an_HTTP_request()
    {
        // Listening, never accepting: the kernel completes the connection on its own.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var http = new RecordingHandler(HttpStatusCode.OK);

        var answers = await Probe(http).AnswersClaimAsync($"http://127.0.0.1:{PortOf(listener)}/", CancellationToken.None);

        Assert.True(answers);
        Assert.Empty(http.Requests);
    }

    [Fact]
    public async Task A_claim_refuses_a_local_slot_that_nothing_listens_on()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = PortOf(listener);
        listener.Stop();

        Assert.False(await Probe(new RecordingHandler(HttpStatusCode.OK))
            .AnswersClaimAsync($"http://localhost:{port}/", CancellationToken.None));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false)]
    public async Task A_claim_asks_a_slot_on_Cloud_Run_GET_alive_and_takes_it_only_on_a_success(HttpStatusCode status,
        bool expected)
    {
        var http = new RecordingHandler(status);

        var answers = await Probe(http).AnswersClaimAsync("https://url-shortener-7-abc.a.run.app/", CancellationToken.None);

        Assert.Equal(expected, answers);
        Assert.Equal(["https://url-shortener-7-abc.a.run.app/alive"], http.Requests);
    }

    [Fact]
    public async Task A_slot_without_a_usable_URL_is_never_handed_out()
    {
        var http = new RecordingHandler(HttpStatusCode.OK);

        Assert.False(await Probe(http).AnswersClaimAsync(null, CancellationToken.None));
        Assert.False(await Probe(http).AnswersClaimAsync("not a url", CancellationToken.None));
        Assert.Empty(http.Requests);
    }

    /// <summary>
    /// Time stands still: none of these outcomes depends on the probe's timeout, and a process's first connection
    /// (the socket stack loaded and compiled on a busy machine) once took longer than it.
    /// </summary>
    private static StandbySlotProbe Probe(RecordingHandler http) =>
        new(new SingleClientFactory(http), Options.Create(new StandbyOptions()), new FakeTimeProvider());

    private static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class RecordingHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request,
            CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!.ToString());
            return Task.FromResult(new HttpResponseMessage(status));
        }
    }
}
