using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sdp.LocalServers;

/// <summary>
/// Set-up that must hold after every start of a server (a database created, a role given its kept password again),
/// run on each start until it succeeds.
/// <para>
/// Not <c>OnResourceReady</c>: Aspire 13.6 fires <c>ResourceReadyEvent</c> again only when its health monitor has
/// stopped, and it stops the monitor on a terminal state only if the resource is <em>still</em> in one when the
/// event is handled. On a busy machine a restart's "Exited" is handled after "Starting" was published, the old
/// monitor carries on, and the event never comes; a role then keeps whatever password an application set. Here every
/// state change is seen in order, and the set-up is retried until the server takes it: the resource's own health
/// check (a login) says when it has.
/// </para>
/// </summary>
internal static class EveryStart
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    // Failures are expected while a server starts; one that outlasts this is worth a line in its console log.
    private static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(20);

    public static IResourceBuilder<T> OnEveryStart<T>(this IResourceBuilder<T> builder,
        Func<T, IServiceProvider, CancellationToken, Task> setUp)
        where T : IResource
    {
        return builder.OnInitializeResource((resource, e, initializing) =>
        {
            // For the application's life, not the initialization's.
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = Task.Run(() => WatchAsync(resource, e.Services, setUp, stopping), CancellationToken.None);
            return Task.CompletedTask;
        });
    }

    private static async Task WatchAsync<T>(T resource, IServiceProvider services,
        Func<T, IServiceProvider, CancellationToken, Task> setUp, CancellationToken cancellationToken)
        where T : IResource
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var running = false;
        DateTime? startedAt = null;
        CancellationTokenSource? attempt = null;
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!ReferenceEquals(update.Resource, resource))
                {
                    continue;
                }

                var nowRunning = update.Snapshot.State?.Text == KnownResourceStates.Running;
                var newStart = nowRunning && (!running || update.Snapshot.StartTimeStamp != startedAt);
                if (!nowRunning || newStart)
                {
                    // Stopped, or started again: what was being set up belongs to a server that is gone.
                    await CancelAsync(attempt).ConfigureAwait(false);
                    attempt = null;
                }

                if (newStart)
                {
                    attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var token = attempt.Token;
                    _ = Task.Run(() => SetUpAsync(resource, services, setUp, token), CancellationToken.None);
                }

                running = nowRunning;
                startedAt = update.Snapshot.StartTimeStamp;
            }
        }
        catch (OperationCanceledException)
        {
            // The application stops.
        }
        finally
        {
            await CancelAsync(attempt).ConfigureAwait(false);
        }
    }

    private static async Task SetUpAsync<T>(T resource, IServiceProvider services,
        Func<T, IServiceProvider, CancellationToken, Task> setUp, CancellationToken cancellationToken)
        where T : IResource
    {
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        var since = time.GetTimestamp();
        var warned = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await setUp(resource, services, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!warned && time.GetElapsedTime(since) > QuietFor)
                {
                    warned = true;
                    // The message only: the servers' client libraries put no password in one.
                    logger.LogWarning("Set-up after start still fails, retrying: {Reason}", e.Message);
                }
            }

            try
            {
                await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task CancelAsync(CancellationTokenSource? attempt)
    {
        if (attempt is not null)
        {
            await attempt.CancelAsync().ConfigureAwait(false);
            attempt.Dispose();
        }
    }
}
