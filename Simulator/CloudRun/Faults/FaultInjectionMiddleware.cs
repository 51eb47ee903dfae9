using Microsoft.AspNetCore.Http.Features;
using Sdp.Simulator.CloudRun.Api;

namespace Sdp.Simulator.CloudRun.Faults;

/// <summary>
/// Applies <see cref="FaultInjector"/>'s request faults to the Cloud Run API (<c>/v2/...</c>): injected errors answer
/// before the request takes effect; injected latency holds the answer after it has taken effect.
/// </summary>
public sealed class FaultInjectionMiddleware(RequestDelegate next, FaultInjector faults, TimeProvider timeProvider)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v2") || !faults.Matches(context.Request.Method))
        {
            await next(context);
            return;
        }

        if (faults.TryTake503())
        {
            await GoogleApiErrors.Unavailable(context.Request, "The service is currently unavailable (injected fault).")
                .ExecuteAsync(context);
            return;
        }

        if (faults.TryTake429(out var retryAfterSeconds))
        {
            if (retryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await GoogleApiErrors.ResourceExhausted(context.Request, "Quota exceeded for write requests per minute (injected fault).")
                .ExecuteAsync(context);
            return;
        }

        var latency = faults.TakeLatency();
        if (latency <= TimeSpan.Zero)
        {
            await next(context);
            return;
        }

        // Buffer the answer, headers included, so nothing reaches the client before the latency has passed: a body
        // feature of its own, since the server's would send the headers as soon as the endpoint starts writing.
        var serverBody = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(serverBody);
        }

        try
        {
            await Task.Delay(latency, timeProvider, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up waiting, as the fault meant it to; the request has taken effect all the same.
            // Abort rather than complete, or the server would finish an empty 200 that could still reach the client.
            context.Abort();
            return;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(serverBody.Stream, context.RequestAborted);
    }
}
