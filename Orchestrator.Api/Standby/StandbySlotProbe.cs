using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Sdp.Templates.Catalog;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>
/// Asks a standby slot's service whether it answers: <c>GET {endpoint_url}/alive</c> with a success status within
/// <see cref="StandbyOptions.ClaimProbeTimeout"/>. Not <c>/health</c>, which checks the slot's PostgreSQL and Redis with a
/// new database connection each time: measured, that made a warm deploy at C = 8 several times slower, at claims and
/// from the prober's rounds over every slot. A slot that lost its Redis user or its service is found by the cleanup
/// worker's lost-resource check instead. Once, without retries: a slot that does not answer is skipped, and the next
/// one (or a build on request) is faster than waiting for it.
/// </summary>
public sealed class StandbySlotProbe(IHttpClientFactory clients, IOptions<StandbyOptions> options, TimeProvider time)
{
    /// <summary>The named HttpClient (no resilience handlers, unrecorded metrics): <c>StandbyExtensions</c>.</summary>
    public const string ClientName = "standby-slot-probe";

    /// <summary>
    /// The check a claim makes, within the deploy request. A service on this machine (the local Cloud Run) is asked
    /// whether its port takes a connection: the kernel completes a loopback connect without waiting for the service's
    /// process to be scheduled, so the check costs a fraction of a millisecond however busy the machine is, and it
    /// fails exactly when the service is not there (the Simulator stopped, restarting or killed: connection refused).
    /// An HTTP probe instead waited for the Simulator, busy starting the pool's replacement slots, and doubled a warm
    /// deploy's median at C = 8. A service elsewhere (Cloud Run) is asked <c>GET /alive</c>, where a connection alone
    /// would only reach Google's front end. A service that listens but hangs is found by the slot prober, which
    /// always asks <c>/alive</c>.
    /// </summary>
    public Task<bool> AnswersClaimAsync(string? endpointUrl, CancellationToken cancellationToken) =>
        Uri.TryCreate(endpointUrl, UriKind.Absolute, out var service) && service.IsLoopback
            ? AcceptsConnectionAsync(service, cancellationToken)
            : AnswersAsync(endpointUrl, cancellationToken);

    /// <summary>False for anything but a success status in time: refused, reset, timed out, 503, a malformed URL.</summary>
    public async Task<bool> AnswersAsync(string? endpointUrl, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var service))
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(options.Value.ClaimProbeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        // From the factory each time (cheap: the handler is pooled), so the handler is renewed as the factory renews it.
        using var http = clients.CreateClient(ClientName);
        try
        {
            using var response = await http.GetAsync(new Uri(service, CandidateHealthPaths.Alive),
                HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<bool> AcceptsConnectionAsync(Uri service, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.ClaimProbeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(service.Host, service.Port, linked.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
