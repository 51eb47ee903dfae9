using Microsoft.Extensions.Options;
using Sdp.Templates.Catalog;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>
/// Asks a standby slot's service whether it answers: <c>GET {endpoint_url}/alive</c> with a success status within
/// <see cref="StandbyOptions.ClaimProbeTimeout"/> (about a millisecond on loopback). Not <c>/health</c>, which checks the
/// slot's PostgreSQL and Redis with a new database connection each time: measured, that made a warm deploy at C = 8
/// several times slower, at claims and from the prober's rounds over every slot. A slot that lost its Redis user or its
/// service is found by the cleanup worker's lost-resource check instead. Once, without retries: a slot that does not
/// answer is skipped, and the next one (or a build on request) is faster than waiting for it.
/// </summary>
public sealed class StandbySlotProbe(IHttpClientFactory clients, IOptions<StandbyOptions> options, TimeProvider time)
{
    /// <summary>The named HttpClient (no resilience handlers, unrecorded metrics): <c>StandbyExtensions</c>.</summary>
    public const string ClientName = "standby-slot-probe";

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
}
