using Microsoft.Extensions.Hosting;

namespace Sdp.Templates.Hosting;

/// <summary>
/// Host lifetime for an app hosted inside another process: unlike the console lifetime it registers no
/// signal handlers and writes no start-up banner, because the hosting process decides when it stops.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
