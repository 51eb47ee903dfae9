using Sdp.Templates.Catalog;

namespace Sdp.Provisioner.Worker.Provisioning;

/// <summary>Waits until a freshly deployed service answers <c>/health</c> with 200.</summary>
public sealed class ServiceHealthProbe(HttpClient http, TimeProvider time)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(250);

    public async Task WaitUntilHealthyAsync(Uri serviceUrl, CancellationToken cancellationToken)
    {
        var healthUrl = new Uri(serviceUrl, CandidateHealthPaths.Health);
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(healthUrl, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: keep waiting until the deadline cancels us.
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}
