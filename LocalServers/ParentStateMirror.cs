using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Sdp.LocalServers;

/// <summary>
/// Aspire gives a child resource (a database, a login role) the state of its parent only when the parent is a
/// container; under an executable it would have none, and whatever waits for it would wait for ever. The child
/// takes its parent's state, start time and stop time here, as it does under a container; its own health checks
/// then say whether it is usable.
/// </summary>
internal static class ParentStateMirror
{
    public static IResourceBuilder<T> WithParentState<T>(this IResourceBuilder<T> child)
        where T : IResourceWithParent
    {
        return child.OnInitializeResource((resource, e, initializing) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            // For the application's life, not the initialization's.
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = Task.Run(() => MirrorAsync(notifications, resource, stopping), CancellationToken.None);
            return Task.CompletedTask;
        });
    }

    private static async Task MirrorAsync(ResourceNotificationService notifications, IResourceWithParent child,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!ReferenceEquals(update.Resource, child.Parent) || update.Snapshot.State is null)
                {
                    continue;
                }

                var parent = update.Snapshot;
                await notifications.PublishUpdateAsync(child, s => s with
                {
                    State = parent.State,
                    StartTimeStamp = parent.StartTimeStamp,
                    StopTimeStamp = parent.StopTimeStamp,
                    ExitCode = parent.ExitCode,
                }).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The application stops.
        }
    }
}
