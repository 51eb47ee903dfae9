using Microsoft.AspNetCore.Builder;

namespace Sdp.Templates.Hosting;

/// <summary>A template app listening at <see cref="Url"/>; disposing it stops it and frees its port.</summary>
public sealed class RunningTemplate : IAsyncDisposable
{
    /// <summary>How long in-flight requests may finish when a candidate is stopped.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication app;
    private int disposed;

    internal RunningTemplate(TemplateDescriptor template, Uri url, WebApplication app)
    {
        Template = template;
        Url = url;
        this.app = app;
    }

    public TemplateDescriptor Template { get; }

    public Uri Url { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        using var stopTimeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await app.StopAsync(stopTimeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
