using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Sdp.Templates.Dependencies;

/// <summary>
/// Completes when the app serves its first request. Background loops that use PostgreSQL or Redis wait for it,
/// so a template touches neither before its first request (its health probe counts), as every template promises.
/// </summary>
public sealed class FirstRequestSignal
{
    private readonly TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Arrived => arrived.Task;

    public void Notify() => arrived.TrySetResult();
}

public static class FirstRequestSignalExtensions
{
    public static IServiceCollection AddFirstRequestSignal(this IServiceCollection services) =>
        services.AddSingleton<FirstRequestSignal>();

    /// <summary>Put first in the pipeline: every request, health probes included, counts.</summary>
    public static WebApplication UseFirstRequestSignal(this WebApplication app)
    {
        var signal = app.Services.GetRequiredService<FirstRequestSignal>();
        app.Use((context, next) =>
        {
            signal.Notify();
            return next(context);
        });
        return app;
    }
}
